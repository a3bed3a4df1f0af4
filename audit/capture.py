"""Automatic capture: every insert, update and delete of an :class:`~core.models.Audited` model is
written to ``audit_log`` inside the flush that makes it, so the entry commits or rolls back with the
change. Explicit domain events (merge, erase, routing decision) go through :func:`record_event`.

Ordering: the first flush that touches audited data locks the chain head (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite transactions already start with ``BEGIN IMMEDIATE``), *before* any business row is
written. Every writer therefore takes the same lock first, which gives one gapless chain across
processes and no lock-order deadlocks.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, UOWTransaction
from sqlalchemy.sql.schema import Table

from audit.bundle_verify import entry_hash
from audit.context import current_context
from audit.driver_insert import driver_insert
from audit.encoding import canonical_json, entity_type_of, format_timestamp, pii_digest
from audit.free_text import mask_personal, protect_free_text
from audit.models import AuditHead, AuditLog, AuditPersonalData
from audit.personal_mac import personal_mac, personal_mac_key
from core.models.base import is_audited, pii_columns, utcnow

__all__ = ["PendingEntry", "install", "lock_chain", "record_event"]

_DELETED_KEY = "_synchub_audit_deleted"
_CORRELATION_KEY = "_synchub_audit_correlation"
FLUSHING_FLAG = "synchub_audit_flushing"


@dataclass
class PendingEntry:
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]
    reason: str | None = None
    personal: list[dict[str, Any]] = field(default_factory=list)


_COLUMNS: dict[type[Any], tuple[str, ...]] = {}


def columns_of(cls: type[Any]) -> tuple[str, ...]:
    """Column attribute names of a mapped class (cached: this runs for every audited row)."""
    found = _COLUMNS.get(cls)
    if found is None:
        found = _COLUMNS[cls] = tuple(attr.key for attr in inspect(cls).column_attrs)
    return found


def _protect(cls: type[Any], values: dict[str, Any], personal: list[dict[str, Any]], entry_id: str) -> None:
    """Replace personal values by {"$pii": digest} and queue the values for the side table."""
    for key in pii_columns(cls) & values.keys():
        if values[key] is None:
            continue
        text = canonical_json(values[key])
        salt, digest = pii_digest(text)
        personal.append({"digest": digest, "salt": salt, "value": text, "entity_id": entry_id})
        values[key] = {"$pii": digest}


def entry_for(
    cls: type[Any], entity_id: str, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> PendingEntry:
    """The ledger entry of one row change; ``before``/``after`` are taken over (personal values replaced)."""
    personal: list[dict[str, Any]] = []
    changes: dict[str, Any] = {}
    for side, values in (("before", before), ("after", after)):
        if values is not None:
            _protect(cls, values, personal, entity_id)
            changes[side] = values
    return PendingEntry(action, entity_type_of(cls), entity_id, changes, personal=personal)


def _entry_for(
    obj: Any, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> PendingEntry:
    cls = type(obj)
    entity_id = ":".join(str(part) for part in inspect(cls).primary_key_from_instance(obj))
    return entry_for(cls, entity_id, action, before, after)


def _snapshot(obj: Any) -> dict[str, Any]:
    return {key: getattr(obj, key) for key in columns_of(type(obj))}


def _diff(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in columns_of(type(obj)):
        hist = state.attrs[key].history
        if not hist.added and not hist.deleted:
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            before[key], after[key] = old, new
    return before, after


def _audited(objs: Iterable[Any]) -> list[Any]:
    return [o for o in objs if is_audited(type(o))]


_HEAD = select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_SET_HEAD = (
    update(AuditHead).where(AuditHead.id == 1).values(last_seq=bindparam("s"), last_hash=bindparam("h"))
)
_LEDGER: Table = AuditLog.__table__  # type: ignore[assignment]
_PERSONAL: Table = AuditPersonalData.__table__  # type: ignore[assignment]
HEAD_KEY = "synchub_audit_head"  # (seq, hash) held under the lock until commit or rollback


def _lock_head(conn: Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction (once) and return the current (seq, hash)."""
    held: tuple[int, str] | None = conn.info.get(HEAD_KEY)
    if held is not None:
        return held
    row = conn.execute(_HEAD_FOR_UPDATE if conn.dialect.name == "postgresql" else _HEAD).one()
    conn.info[HEAD_KEY] = head = (int(row.last_seq), str(row.last_hash))
    return head


def _correlation(session: Session) -> str:
    txn = session.get_transaction()
    marker = id(txn)
    held = session.info.get(_CORRELATION_KEY)
    if held and held[0] == marker:
        return str(held[1])
    corr = f"txn:{uuid.uuid4().hex[:16]}"
    session.info[_CORRELATION_KEY] = (marker, corr)
    return corr


def lock_chain(session: Session) -> None:
    """Take the chain-head lock now, before reading what the transaction will write.

    Writers serialise on this lock anyway at their first flush. A read-then-write step (landing:
    "is this external id known?") takes it first, so on PostgreSQL its reads see everything that
    concurrent writers committed before it, and two workers never both insert the same record.
    """
    _lock_head(session.connection())


def append(session: Session, entries: list[PendingEntry]) -> None:
    """Extend the chain with ``entries`` inside the session's current transaction."""
    if not entries:
        return
    from core.settings import get_settings

    ctx = session.info.get("audit") or current_context()
    actor = ctx.actor or get_settings().default_actor
    correlation = ctx.correlation_id or _correlation(session)
    conn = session.connection()
    seq, prev = _lock_head(conn)
    stamp = utcnow()
    now = format_timestamp(stamp)
    rows: list[dict[str, Any]] = []
    personal: list[dict[str, Any]] = []
    for item in entries:
        protect_free_text(item.changes, item.personal, item.entity_id)
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "recorded_at": now,
            "actor": actor,
            "action": item.action,
            "entity_type": item.entity_type,
            "entity_id": item.entity_id,
            "changes": canonical_json(item.changes),
            "reason": mask_personal(item.reason if item.reason is not None else ctx.reason),
            "correlation_id": correlation,
            "prev_hash": prev,
        }
        row["hash"] = prev = entry_hash(row)
        rows.append(row)
        personal.extend({**p, "entity_type": item.entity_type} for p in item.personal)
    driver_insert(conn, _LEDGER, [{**r, "recorded_at": stamp} for r in rows])
    if personal:
        key = personal_mac_key()
        for p in personal:
            p["mac"] = (
                personal_mac(key, p["digest"], p["entity_type"], p["entity_id"], p["salt"], p["value"])
                if key
                else None
            )
        driver_insert(conn, _PERSONAL, personal)
    conn.execute(_SET_HEAD, {"s": seq, "h": prev})
    conn.info[HEAD_KEY] = (seq, prev)


def record_event(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: str | int,
    details: dict[str, Any],
    reason: str | None = None,
) -> None:
    """A domain event that is not a row change (a merge decision, an erasure, a routing explanation)."""
    append(session, [PendingEntry(action, entity_type, str(entity_id), {"event": details}, reason)])


def _before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    conn = session.connection()
    conn.info[FLUSHING_FLAG] = True
    if not (_audited(session.new) or _audited(session.dirty) or _audited(session.deleted)):
        return
    _lock_head(conn)
    session.info[_DELETED_KEY] = {id(o): _snapshot(o) for o in _audited(session.deleted)}


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    entries = [_entry_for(o, "insert", None, _snapshot(o)) for o in _audited(session.new)]
    for obj in _audited(session.dirty):
        before, after = _diff(obj)
        if after:
            entries.append(_entry_for(obj, "update", before, after))
    deleted = session.info.pop(_DELETED_KEY, {})
    entries.extend(_entry_for(o, "delete", deleted.get(id(o)), None) for o in _audited(session.deleted))
    append(session, entries)


def _after_flush_postexec(session: Session, flush_context: UOWTransaction) -> None:
    session.connection().info.pop(FLUSHING_FLAG, None)


def _load_old_values(mapper: Mapper[Any], cls: type[Any]) -> None:
    """Ask SQLAlchemy to load the previous value on set, so an update's "before" is never unknown."""
    if not is_audited(cls):
        return
    _COLUMNS.pop(cls, None)
    for prop in mapper.column_attrs:
        event.listen(getattr(cls, prop.key), "set", _noop_set, active_history=True)


def _noop_set(target: Any, value: Any, oldvalue: Any, initiator: Any) -> Any:
    return value


_installed = False


def install() -> None:
    """Register the hooks on every Session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    event.listen(Mapper, "mapper_configured", _load_old_values)
    from core.models import Base

    for mapper in Base.registry.mappers:
        if mapper.configured:
            _load_old_values(mapper, mapper.class_)
    _installed = True
