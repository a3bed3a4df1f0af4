"""Showing personal values is itself recorded. The ledger has no separate access log, so a reveal is a
``reveal`` event on the ledger of each record whose values were shown (``audit.capture.record_event``):
the actor of the audit context (who), the record (what), the channel and entry count, and the reason.
Searching a record's history therefore also shows who has seen its personal values in clear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.engine import Engine

from audit.capture import record_event
from store.engine import session_scope

__all__ = ["REVEAL", "record_reveal"]

REVEAL = "reveal"


def record_reveal(
    engine: Engine, entities: Iterable[tuple[str, str]], channel: str, reason: str | None
) -> int:
    """One ``reveal`` event per distinct ``(entity_type, entity_id)`` of ``entities`` (one item per entry
    shown), in one transaction, before the values leave the hub; returns how many were written."""
    shown = Counter(entities)
    if not shown:
        return 0
    with session_scope(engine) as session:
        for (entity_type, entity_id), entries in sorted(shown.items()):
            details = {
                "channel": channel,
                "entries": entries,
                "what": "personal values in the ledger history",
            }
            record_event(session, REVEAL, entity_type, entity_id, details, reason=reason)
    return len(shown)
