"""Helpers shared by the connector tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.base import CursorState, MemoryTokenStore, Page, SourceConnector
from connectors.http import RequestMetrics
from connectors.incremental import CST
from connectors.registry import source_connector_class
from connectors.sandbox import RunningSandbox, sandbox_settings

__all__ = ["END", "FAST", "Harness", "harness", "pull", "records_of"]

END = datetime(2026, 12, 1, tzinfo=CST)
# Tiny waits so retries cost milliseconds; a short read timeout for the latency tests.
FAST: dict[str, Any] = {
    "retry_initial_wait": 0.001,
    "retry_max_wait": 0.01,
    "retry_max_total_delay": 5.0,
    "retry_after_max": 5.0,
    "retry_max_attempts": 4,
    "timeout_read": 5.0,
}


@dataclass
class Harness:
    connector: SourceConnector
    store: MemoryTokenStore
    metrics: RequestMetrics
    sandbox: RunningSandbox


def harness(sandbox: RunningSandbox, name: str, **overrides: Any) -> Harness:
    """A connector pointed at the running sandbox, with its own token store and metrics."""
    settings = sandbox_settings(name, sandbox.base_url, **{"page_size": 7, **FAST, **overrides})
    store, metrics = MemoryTokenStore(), RequestMetrics()
    cls = source_connector_class(name)
    connector = cls(settings=settings, token_store=store, metrics=metrics)
    return Harness(connector, store, metrics, sandbox)


def pull(
    connector: SourceConnector,
    stream: str,
    account: str,
    state: CursorState | None = None,
    end: datetime = END,
) -> list[Page]:
    return list(connector.read(stream, account, state or CursorState(), end))


def records_of(pages: list[Page]) -> list[Any]:
    return [record for page in pages for record in page.records]
