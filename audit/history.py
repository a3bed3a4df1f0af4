"""One record's history, newest first, readable by a person: who, when, what changed, why."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.free_text import mask_personal
from audit.models import AuditLog, AuditPersonalData
from core.redact import looks_like_phone, mask_email, mask_name, mask_phone

__all__ = ["HistoryItem", "describe_changes", "entity_history"]


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    recorded_at: datetime
    actor: str
    action: str
    changes: dict[str, Any]
    reason: str | None
    correlation_id: str | None


def _mask(field: str, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _mask(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(field, v) for v in value]
    if not isinstance(value, str):
        return value
    if looks_like_phone(value) or "phone" in field or "mobile" in field:
        return mask_phone(value)
    if "email" in field:
        return mask_email(value)
    if "name" in field:
        return mask_name(value)
    return mask_personal(value)  # free text: the phones, e-mail addresses and ID numbers in it


def _resolve(field: str, value: Any, personal: dict[str, Any], reveal: bool) -> Any:
    if isinstance(value, dict) and set(value) == {"$pii"}:
        row = personal.get(value["$pii"])
        if row is None or row.value is None:
            return "[erased]"
        plain = json.loads(row.value)
        return plain if reveal else _mask(field, plain)
    if isinstance(value, dict):
        return {k: _resolve(k, v, personal, reveal) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(field, v, personal, reveal) for v in value]
    if isinstance(value, str) and not reveal:  # entries older than the free-text scan
        return mask_phone(value) if looks_like_phone(value) else mask_personal(value)
    return value


def entity_history(
    engine: Engine, entity_type: str, entity_id: str, reveal: bool = False
) -> list[HistoryItem]:
    """Entries about one entity, newest first; personal values masked unless ``reveal``."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == str(entity_id))
            .order_by(AuditLog.seq.desc())
        ).all()
        pii_rows = conn.execute(
            select(AuditPersonalData).where(
                AuditPersonalData.entity_type == entity_type, AuditPersonalData.entity_id == str(entity_id)
            )
        ).all()
    personal: dict[str, Any] = {r.digest: r for r in pii_rows}
    items = []
    for r in rows:
        changes = json.loads(r.changes)
        for side in ("before", "after", "event"):
            if isinstance(changes.get(side), dict):
                changes[side] = {k: _resolve(k, v, personal, reveal) for k, v in changes[side].items()}
        items.append(
            HistoryItem(r.seq, r.recorded_at, r.actor, r.action, changes, r.reason, r.correlation_id)
        )
    return items


def describe_changes(item: HistoryItem) -> str:
    """``field: old -> new`` lines for an update, the values for an insert or delete."""
    before, after = item.changes.get("before") or {}, item.changes.get("after") or {}
    if "event" in item.changes:
        return json.dumps(item.changes["event"], ensure_ascii=False, default=str)
    keys = [k for k in (after or before) if k not in ("created_at", "updated_at")]
    if item.action == "update":
        return "\n".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in keys)
    values = after or before
    return "\n".join(f"{k}: {values.get(k)!r}" for k in keys if values.get(k) is not None)
