"""Incremental pulls from an ERP (customers, settlements, invoices), one cursor per feed.

Each page is applied and its cursor saved in one transaction, so a crash between pages neither skips
nor repeats a record. Bounds are closed; records already seen at the boundary time are skipped by id
(:class:`~connectors.incremental.Incremental`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from connectors.base import CursorState, SourceRecord
from connectors.erp_gateway import ReceivableGateway, Stream
from connectors.incremental import Incremental
from core.models import SyncCursor
from mapping.erp.records import ErpCustomer, ErpInvoice, ErpSettlement
from store.engine import session_scope

__all__ = ["pull_stream"]

R = TypeVar("R", ErpCustomer, ErpSettlement, ErpInvoice)


def _cursor(s: Session, system: str, stream: str) -> SyncCursor:
    cursor = s.scalars(
        select(SyncCursor).where(
            SyncCursor.connector == system, SyncCursor.stream == stream, SyncCursor.account == ""
        )
    ).first()
    if cursor is None:
        cursor = SyncCursor(connector=system, stream=stream, account="", boundary_keys=[])
        s.add(cursor)
    return cursor


def pull_stream(
    engine: Engine,
    gateway: ReceivableGateway,
    stream: Stream,
    kind: type[R],
    apply: Callable[[Session, Sequence[R]], int],
) -> int:
    """Pull every feed of ``stream`` from its cursor; ``apply`` stores a page and says how many changed."""
    changed = 0
    for feed in gateway.feeds(stream):
        name = f"{stream}:{feed}"[:60]
        with session_scope(engine) as s:
            saved = _cursor(s, gateway.system, name)
            start = CursorState(saved.value, tuple(str(k) for k in saved.boundary_keys or ()))
        incremental = Incremental(start)
        for page in gateway.pull(feed, start.value):
            records = [r for r in page if isinstance(r, kind)]
            fresh = incremental.admit(SourceRecord(r.erp_id, "", {}, r.modified_at) for r in records)
            ids = {f.external_id for f in fresh}
            state = incremental.commit()
            with session_scope(engine) as s:
                changed += apply(s, [r for r in records if r.erp_id in ids])
                cursor = _cursor(s, gateway.system, name)
                cursor.value, cursor.boundary_keys = state.value, list(state.boundary_keys)
    return changed
