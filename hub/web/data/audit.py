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

__all__ = ["AuditEntry", "AuditPage", "AuditQuery", "ChangeRow", "HistoryEntry", "history", "search"]

PERSONAL = "〔个人信息〕"
_SKIP = frozenset({"created_at", "updated_at"})


class AuditQuery(BaseModel):
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
    reason: str | None
    correlation_id: str | None


def _text_of(value: Any) -> str | None:
    """A ledger value as one line of masked text."""
    if value is None:
        return None
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


def _summarise(action: str, changes_text: str) -> str:
    try:
        changes = json.loads(changes_text)
    except ValueError:
        return ""
    if "event" in changes:
        return _short(_text_of(changes["event"]) or "")
    before, after = changes.get("before") or {}, changes.get("after") or {}
    keys = [k for k in (after or before) if k not in _SKIP]
    if action == "update":
        parts = [f"{k}: {_text_of(before.get(k))} → {_text_of(after.get(k))}" for k in keys]
    else:
        values = after or before
        parts = [f"{k}={_text_of(values[k])}" for k in keys if values.get(k) is not None]
    return _short("; ".join(parts))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), CST)


def search(engine: Engine, q: AuditQuery) -> AuditPage:
    """Entries matching every given filter, newest first; ``actor`` matches as a prefix."""
    query = select(AuditLog).order_by(AuditLog.seq.desc()).limit(q.limit + 1)
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
            summary=_summarise(r.action, r.changes),
            reason=_text_of(r.reason),
            correlation_id=r.correlation_id,
        )
        for r in rows[: q.limit]
    ]
    more = len(rows) > q.limit
    return AuditPage(entries=entries, next_before_seq=entries[-1].seq if more and entries else None)


def history(engine: Engine, entity_type: str, entity_id: str) -> list[HistoryEntry]:
    """One record's entries, newest first, each with its field-by-field diff (masked)."""
    out = []
    for item in entity_history(engine, entity_type, entity_id):
        before, after = item.changes.get("before") or {}, item.changes.get("after") or {}
        rows = [
            ChangeRow(
                field=k,
                before=_text_of(before.get(k)),
                after=_text_of(after.get(k)),
                changed=item.action == "update",
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
                reason=_text_of(item.reason),
                correlation_id=item.correlation_id,
            )
        )
    return out
