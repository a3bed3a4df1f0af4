"""Audited bulk inserts: many new rows of an audited model in one statement, each with its ledger
entry, in the caller's transaction.

The ORM unit of work costs about half a millisecond a row for wide models; landing a 100,000-row
spreadsheet or a burst of webhooks cannot afford that. This path keeps the rule that nothing reaches
business tables without an entry: the entries are built from the same row values, appended under the
same chain lock, and the guard lets the statement through only while this function runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from audit.capture import FLUSHING_FLAG, append, columns_of, entry_for, lock_chain
from audit.driver_insert import default_makers, driver_insert
from core.errors import AuditError
from core.models.base import is_audited

__all__ = ["bulk_insert"]


def _complete(
    model: type[Any], row: dict[str, Any], defaults: list[tuple[str, Callable[[], Any]]]
) -> dict[str, Any]:
    full = {key: None for key in columns_of(model) if key != "id"}
    full.update(row)
    for key, make in defaults:
        if key not in row:
            full[key] = make()
    return full


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """One multi-row INSERT; the new ids in the order of ``rows``.

    SQLite cannot say which RETURNING row belongs to which input row, so SQLAlchemy would insert one
    row per statement there. It does not need to: this transaction holds SQLite's only write lock
    (``BEGIN IMMEDIATE``), and SQLite gives a new row max(id) + 1 anyway, so the ids are assigned
    here exactly as SQLite would have and inserted in one executemany.
    """
    if conn.dialect.name == "sqlite":
        last = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
        ids = list(range(last + 1, last + 1 + len(rows)))
        for row_id, row in zip(ids, rows, strict=True):
            row["id"] = row_id
        driver_insert(conn, table, rows)
        return ids
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(row_id) for row_id in result.scalars()]


def bulk_insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (column -> value, without ``id``) and their ledger entries; the new ids in order."""
    if not rows:
        return []
    if not is_audited(model):
        raise AuditError(f"{model.__name__} is not audited; use a plain insert")
    lock_chain(session)  # the chain lock first, as every writer takes it (no lock-order deadlocks)
    defaults = default_makers(model.__table__.columns)
    full = [_complete(model, row, defaults) for row in rows]
    table = model.__table__
    conn = session.connection()
    conn.info[FLUSHING_FLAG] = True
    try:
        ids = _insert(conn, table, full)
    finally:
        conn.info.pop(FLUSHING_FLAG, None)
    append(
        session,
        [entry_for(model, str(i), "insert", None, {**r, "id": i}) for i, r in zip(ids, full, strict=True)],
    )
    return ids
