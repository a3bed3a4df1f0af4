"""Quarantine as a sheet: the records held back with their reasons (``services.intake.quarantine``),
masked as the Leads page masks them (``core.redact.mask_text``; no payloads: they hold phones)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from core.errors import InputError
from core.redact import mask_text
from hub.web.clock import BEIJING_LABEL, cst_today
from hub.web.data.exports.common import Export, source_names
from services.exports import Column, Sheet
from services.intake.quarantine import list_quarantine
from store.engine import session_scope

__all__ = ["QUARANTINE_COLUMNS", "STATUSES", "QuarantineQuery", "quarantine_export"]

STATUSES = {"open": "待处理", "replayed": "已重放", "superseded": "已被更正", "discarded": "已丢弃"}
QUARANTINE_COLUMNS = (
    Column("编号", 8, "int"),
    Column("来源", 16),
    Column("环节", 10),
    Column("原因", 60),
    Column("尝试次数", 9, "int"),
    Column("状态", 10),
    Column(f"进入时间（{BEIJING_LABEL}）", 18, "datetime"),
    Column("最近尝试", 18, "datetime"),
)


class QuarantineQuery(BaseModel):
    source: str | None = None  # a source's name
    status: str | None = "open"  # None: every status


def quarantine_export(engine: Engine, query: QuarantineQuery) -> Export:
    """Sheet 隔离区, oldest first. Raises ``InputError`` for an unknown source or status."""
    if query.status is not None and query.status not in STATUSES:
        raise InputError(f"未知状态 {query.status!r}；可选：{', '.join(STATUSES)}")
    names = source_names(engine, query.source)

    def rows() -> Iterator[list[Any]]:
        with session_scope(engine) as s:
            for q in list_quarantine(s, query.status, query.source):
                yield [
                    q.id, names.get(q.source_id) if q.source_id else None, q.stage, mask_text(q.error),
                    q.attempts, STATUSES.get(q.status, q.status), q.created_at, q.last_attempt_at,
                ]  # fmt: skip

    return Export(
        filename=f"quarantine-{cst_today().isoformat()}.xlsx",
        sheets=[Sheet("隔离区", QUARANTINE_COLUMNS, rows())],
    )
