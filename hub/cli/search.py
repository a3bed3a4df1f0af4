"""``--find TEXT`` of ``synchub audit log`` and ``synchub contract receivables``: the records a contract
number, company name, phone or lead id names (``services.search``), as a table; for the ledger, the
history of those and of the records read with them (a customer's contracts and leads, a contract's
installments), newest first."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import Engine

from audit.history import HistoryItem, describe_changes, entity_history
from core.errors import NotFoundError
from hub.cli.common import BEIJING, beijing_text, console
from hub.cli.output import print_json
from services.search import Hit, find, related_keys
from store.engine import session_scope

__all__ = ["WHY_TEXT", "FoundHistory", "Shown", "find_history", "matches_table", "print_found"]

WHY_TEXT = {  # services.search.WHY in the CLI's English
    "entity_key": "entity key",
    "contract_number": "contract number",
    "lead_id": "lead id",
    "phone": "phone",
    "contact_phone": "a contact's phone",
    "name": "company name",
    "homophone": "name sounds the same",
    "trade_name": "trade name",
    "contract_number_part": "part of a contract number",
    "similar_name": "similar name",
    "name_part": "part of the name",
    "lead_id_bare": "a lead id?",
}


@dataclass(frozen=True)
class FoundHistory:
    matches: list[Hit]
    records: int  # the matches and the records read with them
    entries: list[tuple[str, HistoryItem]]  # (TYPE:ID, entry), newest first


def find_history(engine: Engine, text: str, reveal: bool = False) -> FoundHistory:
    with session_scope(engine) as s:
        hits = find(s, text)
        keys = related_keys(s, hits)
    entries = [
        (f"{kind}:{ident}", item)
        for kind, ident in keys
        for item in entity_history(engine, kind, ident, reveal)
    ]
    entries.sort(key=lambda pair: pair[1].seq, reverse=True)
    return FoundHistory(hits, len(keys), entries)


class Shown(Protocol):
    """A search hit as a table shows it: ``services.search.Hit`` or the console's ``MatchView``."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def why(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def detail(self) -> str: ...


def _why(hit: Shown) -> str:
    text = WHY_TEXT.get(hit.why, hit.why)
    merged = getattr(hit, "merged_into", None) or (hit.detail if hit.detail.startswith("customer:") else "")
    if hit.why == "similar_name":
        text += f" ({hit.score}%)"
    elif hit.detail and not merged:
        text += f" ({hit.detail})"
    return f"{text}; merged into {merged}" if merged else text


def matches_table(text: str, hits: Sequence[Shown]) -> Table:
    table = Table(title=f"records matching {text!r}" if hits else f"nothing matches {text!r}")
    for column in ("record", "what", "matched by"):
        table.add_column(column)
    for hit in hits:
        table.add_row(Text(hit.key), Text(hit.label), Text(_why(hit)))  # Text: data, never markup
    return table


def print_found(engine: Engine, text: str, reveal: bool, as_json: bool) -> None:
    """What ``synchub audit log --find`` prints: the matches, then every entry of their records."""
    found = find_history(engine, text, reveal)
    if not found.matches:
        raise NotFoundError(
            f"nothing matches {text!r} (contract number, company name, phone, lead id, TYPE:ID)"
        )
    if as_json:
        print_json(
            {
                "matches": [{**dataclasses.asdict(h), "key": h.key} for h in found.matches],
                "records": found.records,
                "entries": [{"record": key, **dataclasses.asdict(item)} for key, item in found.entries],
            }
        )
        return
    console.print(matches_table(text, found.matches))
    table = Table(
        title=f"history of these {found.records} record(s) and those read with them", show_lines=True
    )
    for column in ("seq", f"when ({BEIJING})", "record", "who", "action", "what changed", "why"):
        table.add_column(column)
    for key, item in found.entries:
        when = beijing_text(item.recorded_at, with_seconds=True)
        cells = (str(item.seq), when, key, item.actor, item.action, describe_changes(item), item.reason or "")
        table.add_row(*(Text(cell) for cell in cells))
    console.print(table)
