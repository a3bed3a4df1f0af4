"""What every source connector hands to the hub, and the small protocols the hub hands back.

Connectors never write to the store (DESIGN.md). A pull is driven by the hub: it reads the cursor,
asks the connector for pages, and lands each page's records together with the page's new cursor
state in one transaction, so a crash between the two can neither skip nor duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

__all__ = ["CursorState", "Page", "SourceConnector", "SourceRecord", "TokenPair", "TokenStore"]


@dataclass(frozen=True)
class SourceRecord:
    external_id: str
    account: str
    payload: dict[str, Any]  # exactly as the vendor sent it
    cursor_value: str | None = None  # the stream's cursor field as sortable text (ISO time)
    sent_at: datetime | None = None  # a signed sender's own time (webhooks): older never replaces newer


@dataclass(frozen=True)
class CursorState:
    """Closed lower bound ``value`` plus the primary keys already seen at exactly that value (ties)."""

    value: str | None = None
    boundary_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    records: list[SourceRecord]
    state: CursorState  # the state to persist once these records are landed


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str | None = None
    expires_at: datetime | None = None


class TokenStore(Protocol):
    """Where rotated OAuth tokens are kept; the hub implements it on the ``oauth_tokens`` table."""

    def load(self, connector: str, account: str) -> TokenPair | None: ...

    def save(self, connector: str, account: str, pair: TokenPair) -> None: ...


@dataclass
class MemoryTokenStore:
    """For tests and one-off runs."""

    pairs: dict[tuple[str, str], TokenPair] = field(default_factory=dict)

    def load(self, connector: str, account: str) -> TokenPair | None:
        return self.pairs.get((connector, account))

    def save(self, connector: str, account: str, pair: TokenPair) -> None:
        self.pairs[(connector, account)] = pair


@runtime_checkable
class SourceConnector(Protocol):
    name: str

    def accounts(self) -> list[str]: ...

    def streams(self) -> list[str]: ...

    def read(
        self, stream: str, account: str, state: CursorState, end: datetime | None = None
    ) -> Iterator[Page]: ...
