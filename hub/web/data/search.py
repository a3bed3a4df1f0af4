"""The console's search box (``q``) on the Audit and Receivables pages: what ``services.search`` found,
as the pages show it, and the scope each page narrows to."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from services.search import Hit, find, receivable_scope, related_keys
from store.engine import session_scope

__all__ = [
    "LedgerScope",
    "MatchView",
    "ReceivableScope",
    "ledger_filter",
    "ledger_scope",
    "receivable_matches",
]


class MatchView(BaseModel):
    kind: str  # ledger entity type: customer, contract, lead, ...
    id: str
    key: str  # kind:id, as ``synchub audit log --entity`` takes it
    label: str  # company name, contract number: never a personal value
    why: str  # a code of ``services.search.WHY`` (labelled in Chinese by the page)
    score: int
    detail: str  # the masked phone or the name core that matched
    merged_into: str | None  # customer:ID of the customer a merged one went into


class LedgerScope(BaseModel):
    matches: list[MatchView]
    keys: list[tuple[str, str]]  # (entity type, id) of the matches and their related records


class ReceivableScope(BaseModel):
    matches: list[MatchView]
    contract_ids: set[int]
    customer_ids: set[int]


def _view(hit: Hit) -> MatchView:
    merged = hit.detail if hit.detail.startswith("customer:") else None
    return MatchView(
        kind=hit.kind,
        id=hit.id,
        key=hit.key,
        label=hit.label,
        why=hit.why,
        score=hit.score,
        detail="" if merged else hit.detail,
        merged_into=merged,
    )


def ledger_scope(engine: Engine, text: str) -> LedgerScope:
    """The records ``text`` names and those read with them (a customer's contracts, leads, ...)."""
    with session_scope(engine) as s:
        hits = find(s, text)
        keys = related_keys(s, hits)
    return LedgerScope(matches=[_view(h) for h in hits], keys=keys)


def receivable_matches(engine: Engine, text: str) -> ReceivableScope:
    """The contracts and customers (with their merged spellings) whose receivables ``text`` names; a
    lead found (by id or phone) names no receivable and is left out."""
    with session_scope(engine) as s:
        hits = [h for h in find(s, text, limit=50) if h.kind in ("customer", "contract")][:20]
        contracts, customers = receivable_scope(s, hits)
    return ReceivableScope(matches=[_view(h) for h in hits], contract_ids=contracts, customer_ids=customers)


def ledger_filter(keys: list[tuple[str, str]]) -> ColumnElement[bool]:
    """Entries about any of ``keys``: one ``entity_id IN (...)`` per entity type."""
    by_type: dict[str, list[str]] = {}
    for kind, ident in keys:
        by_type.setdefault(kind, []).append(ident)
    if not by_type:
        return false()
    return or_(*(and_(AuditLog.entity_type == k, AuditLog.entity_id.in_(ids)) for k, ids in by_type.items()))
