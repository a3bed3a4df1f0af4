"""The ledger as the Audit page shows it: a search over entries and one record's history with diffs.

Personal values never appear: the chain holds salted digests of them (shown as 〔个人信息〕), the
history masks the stored values (``audit.history``), and free text goes through ``mask_text``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.history import describe_changes, entity_history
from audit.models import AuditLog
from core.redact import mask_text
from hub.web.clock import CST, beijing_times
from hub.web.data.search import MatchView, ledger_filter, ledger_scope
from hub.web.labels import field, value

__all__ = ["AuditEntry", "AuditPage", "AuditQuery", "ChangeRow", "HistoryEntry", "history", "search"]

PERSONAL = "〔个人信息〕"
_SKIP = frozenset({"created_at", "updated_at"})


class AuditQuery(BaseModel):
    q: str | None = None  # what a person knows: contract number, company name, phone, lead id, TYPE:ID
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    before_seq: int | None = None
    limit: int = 50


class AuditEntry(BaseModel):
    seq: int
    recorded_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    summary: str
    reason: str | None
    correlation_id: str | None


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next_before_seq: int | None
    matches: list[MatchView] = []  # what ``q`` found, best first
    related: int = 0  # records whose entries are listed for ``q``: the matches and those read with them


class ChangeRow(BaseModel):
    field: str
    before: str | None
    after: str | None
    changed: bool


class HistoryEntry(BaseModel):
    seq: int
    recorded_at: datetime
    actor: str
    action: str
    description: str
    rows: list[ChangeRow]
    event: bool = False  # a domain event (merge, handover ...): rows are its details, not a diff
    reason: str | None
    correlation_id: str | None


def _text_of(value: Any) -> str | None:
    """A ledger value as one line of masked text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and set(value) == {"$pii"}:
        return PERSONAL
    if isinstance(value, dict | list):
        value = json.dumps(_hide(value), ensure_ascii=False, sort_keys=True, default=str)
    return mask_text(beijing_times(str(value)))  # the ledger's UTC ``...Z`` times in Beijing time


def _hide(value: Any) -> Any:
    if isinstance(value, dict):
        return PERSONAL if set(value) == {"$pii"} else {k: _hide(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide(v) for v in value]
    return value


def _short(text: str, limit: int = 180) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(entity_type: str, key: str, raw: Any) -> str:
    """A value as the list shows it: nested data counted (the history has it whole), codes and
    service messages in Chinese (``hub.web.labels``)."""
    if raw is None:
        return "—"
    if isinstance(raw, dict | list) and not (isinstance(raw, dict) and set(raw) == {"$pii"}):
        return f"（{len(raw)} 项）"
    return str(value(_text_of(raw), entity_type, key))


def _summarise(action: str, changes_text: str, entity_type: str = "") -> str:
    """One line of what changed, field names and codes in Chinese."""
    try:
        changes = json.loads(changes_text)
    except ValueError:
        return ""
    if "event" in changes:
        event = changes["event"]
        if not isinstance(event, dict):
            return _short(_text_of(event) or "")
        return _short("；".join(f"{field(k)}：{_shown(entity_type, k, v)}" for k, v in event.items()))
    before, after = changes.get("before") or {}, changes.get("after") or {}
    keys = [k for k in (after or before) if k not in _SKIP]
    if action == "update":
        parts = [
            f"{field(k)}：{_shown(entity_type, k, before.get(k))} → {_shown(entity_type, k, after.get(k))}"
            for k in keys
        ]
    else:
        values = after or before
        parts = [
            f"{field(k)}：{_shown(entity_type, k, values[k])}" for k in keys if values.get(k) is not None
        ]
    return _short("；".join(parts))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), CST)


def search(engine: Engine, q: AuditQuery) -> AuditPage:
    """Entries matching every given filter, newest first; ``actor`` matches as a prefix; ``q`` keeps
    the entries of the records it names and of those read with them (``hub.web.data.search``)."""
    query = select(AuditLog).order_by(AuditLog.seq.desc()).limit(q.limit + 1)
    scope = ledger_scope(engine, q.q) if q.q else None
    if scope is not None:
        query = query.where(ledger_filter(scope.keys))
    if q.entity_type:
        query = query.where(AuditLog.entity_type == q.entity_type)
    if q.entity_id:
        query = query.where(AuditLog.entity_id == q.entity_id)
    if q.actor:
        query = query.where(AuditLog.actor.startswith(q.actor, autoescape=True))
    if q.action:
        query = query.where(AuditLog.action == q.action)
    if q.since:
        query = query.where(AuditLog.recorded_at >= _start_of(q.since))
    if q.until:
        query = query.where(AuditLog.recorded_at < _start_of(q.until + timedelta(days=1)))
    if q.before_seq:
        query = query.where(AuditLog.seq < q.before_seq)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    entries = [
        AuditEntry(
            seq=r.seq,
            recorded_at=r.recorded_at,
            actor=r.actor,
            action=r.action,
            entity_type=r.entity_type,
            entity_id=r.entity_id,
            summary=_summarise(r.action, r.changes, r.entity_type),
            reason=_text_of(r.reason),
            correlation_id=r.correlation_id,
        )
        for r in rows[: q.limit]
    ]
    more = len(rows) > q.limit
    return AuditPage(
        entries=entries,
        next_before_seq=entries[-1].seq if more and entries else None,
        matches=scope.matches if scope else [],
        related=len(scope.keys) if scope else 0,
    )


def history(engine: Engine, entity_type: str, entity_id: str) -> list[HistoryEntry]:
    """One record's entries, newest first, each with its field-by-field diff (masked)."""
    out = []
    for item in entity_history(engine, entity_type, entity_id):
        before, after = item.changes.get("before") or {}, item.changes.get("after") or {}
        event = item.changes.get("event")
        if isinstance(event, dict):  # an event's keys as rows, shown as 字段 / 值
            after = dict(event)
        rows = [
            ChangeRow(
                field=k,
                before=_text_of(before.get(k)),
                after=_text_of(after.get(k)),
                changed=item.action == "update" and event is None,
            )
            for k in (after or before)
            if k not in _SKIP
        ]
        out.append(
            HistoryEntry(
                seq=item.seq,
                recorded_at=item.recorded_at,
                actor=item.actor,
                action=item.action,
                description=mask_text(beijing_times(describe_changes(item))),
                rows=rows,
                event=event is not None,
                reason=_text_of(item.reason),
                correlation_id=item.correlation_id,
            )
        )
    return out
