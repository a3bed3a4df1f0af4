"""The ledger as a working paper: the Audit page's search (same filters, ``hub.web.data.audit.search``),
every entry with who, when, what and why. "What" is the record's history text, masked as the console's
history page masks it (``hub.web.data.audit.history``) unless ``reveal``; a reveal is first recorded on
the ledger of each record shown (``services.exports.reveal``), a page of entries at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy.engine import Engine

from audit.history import describe_changes, entity_history
from hub.web.clock import BEIJING_LABEL, beijing_times, cst_today
from hub.web.data.audit import AuditEntry, AuditQuery, history, search
from hub.web.data.exports.common import Export
from hub.web.labels import label
from services.exports import Column, Sheet, record_reveal

__all__ = ["AUDIT_COLUMNS", "CHANNEL", "audit_export"]

PAGE = 500
CHANNEL = "excel export"
AUDIT_COLUMNS = (
    Column("序号", 9, "int"),
    Column(f"时间（{BEIJING_LABEL}）", 18, "datetime"),
    Column("操作人", 22),
    Column("动作", 10),
    Column("对象类型", 14),
    Column("对象编号", 10),
    Column("变更内容", 70),
    Column("原因", 30),
    Column("关联编号", 26),
)


def _pages(engine: Engine, query: AuditQuery) -> Iterator[list[AuditEntry]]:
    q = query.model_copy(update={"limit": PAGE})
    while True:
        found = search(engine, q)
        if found.entries:
            yield found.entries
        if found.next_before_seq is None:
            return
        q = q.model_copy(update={"before_seq": found.next_before_seq})


def _texts(engine: Engine, entries: list[AuditEntry], reveal: bool) -> dict[int, str]:
    """seq -> the history text of each entry, from each record's history (masked unless ``reveal``)."""
    out: dict[int, str] = {}
    for entity_type, entity_id in {(e.entity_type, e.entity_id) for e in entries}:
        if reveal:
            for item in entity_history(engine, entity_type, entity_id, reveal=True):
                out[item.seq] = beijing_times(describe_changes(item))
        else:
            for entry in history(engine, entity_type, entity_id):
                out[entry.seq] = entry.description
    return out


def audit_export(
    engine: Engine, query: AuditQuery, reveal: bool = False, reason: str | None = None
) -> Export:
    """Sheet 审计记录, newest first. With ``reveal`` the caller's audit context names who revealed."""

    def rows() -> Iterator[list[Any]]:
        for entries in _pages(engine, query):
            if reveal:
                record_reveal(engine, ((e.entity_type, e.entity_id) for e in entries), CHANNEL, reason)
            texts = _texts(engine, entries, reveal)
            for e in entries:
                yield [
                    e.seq, e.recorded_at, e.actor, label(e.action, "action"), e.entity_type, e.entity_id,
                    texts.get(e.seq, e.summary), e.reason, e.correlation_id,
                ]  # fmt: skip

    name = "audit"
    if query.entity_type and query.entity_id:
        name = re.sub(r"[^A-Za-z0-9_-]", "_", f"audit-{query.entity_type}-{query.entity_id}")
    return Export(
        filename=f"{name}-{cst_today().isoformat()}.xlsx", sheets=[Sheet("审计记录", AUDIT_COLUMNS, rows())]
    )
