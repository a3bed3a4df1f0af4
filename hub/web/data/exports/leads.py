"""Leads as a sheet: every lead of the Leads page's period (``days``, as the funnel counts them), with
its stage, how far it got in the funnel (``hub.web.data.lead_progress``), its team and owner, its SLA
clock and whether the SLA box counts it (``hub.web.data.sla``: waiting, escalated, late contact).
Contact names and phones are not exported: the console does not show them either."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.models import Lead
from hub.web.clock import BEIJING_LABEL, cst_today, utc_now
from hub.web.data.exports.common import Export, source_names
from hub.web.data.lead_progress import lead_progress
from hub.web.data.leads import STAGES
from hub.web.data.sla import SlaBreach, sla_breaches
from hub.web.labels import label
from services.exports import Column, Sheet
from store.engine import session_scope

__all__ = ["LEAD_COLUMNS", "LeadsQuery", "leads_export", "sla_text"]

ALL = 2**31 - 1
LEAD_COLUMNS = (
    Column("线索编号", 10, "int"),
    Column("来源", 16),
    Column("公司", 30),
    Column("阶段", 10),
    Column("漏斗进度", 10),
    Column("团队", 12),
    Column("负责人", 12),
    Column(f"创建时间（{BEIJING_LABEL}）", 18, "datetime"),
    Column("分配时间", 18, "datetime"),
    Column("SLA 截止", 18, "datetime"),
    Column("首次联系", 18, "datetime"),
    Column("升级时间", 18, "datetime"),
    Column("SLA 状态", 20),
)


class LeadsQuery(BaseModel):
    days: int | None = 90  # the page's period; None: all time
    source: str | None = None  # a source's name
    stage: str | None = None


def sla_text(breach: SlaBreach | None, first_contact_at: datetime | None) -> str:
    """The SLA box's kinds of a lead in words; a lead outside the box is on time or not yet due."""
    if breach is None:
        return "按时联系" if first_contact_at is not None else "未超时"
    kinds = [
        ("超时未联系", breach.waiting),
        ("已升级", breach.escalated),
        ("超时后联系", breach.late_contact),
    ]
    return "、".join(text for text, on in kinds if on)


def leads_export(engine: Engine, query: LeadsQuery, now: datetime | None = None) -> Export:
    """Sheet 线索, newest first. Raises ``InputError`` for a source no one has."""
    now = now or utc_now()
    since = now - timedelta(days=query.days) if query.days else None
    names = source_names(engine, query.source)

    def rows() -> Iterator[list[Any]]:
        box = {b.lead_id: b for b in sla_breaches(engine, ALL, query.days, now).items}
        select_leads = select(Lead).order_by(Lead.id.desc())
        if since is not None:
            select_leads = select_leads.where(Lead.created_at >= since)
        if query.source is not None:
            select_leads = select_leads.where(
                Lead.source_id.in_([i for i, n in names.items() if n == query.source])
            )
        if query.stage:
            select_leads = select_leads.where(Lead.stage == query.stage)
        with session_scope(engine) as s:
            furthest = {p.lead_id: p.furthest for p in lead_progress(s, since)}
            for lead in s.scalars(select_leads.execution_options(yield_per=1000)):
                step = furthest.get(lead.id)
                yield [
                    lead.id, names.get(lead.source_id), lead.company, label(lead.stage, "stage"),
                    STAGES[step][1] if step is not None else None, lead.team, lead.owner, lead.created_at,
                    lead.assigned_at, lead.sla_due_at, lead.first_contact_at, lead.escalated_at,
                    sla_text(box.get(lead.id), lead.first_contact_at),
                ]  # fmt: skip

    return Export(
        filename=f"leads-{cst_today().isoformat()}.xlsx", sheets=[Sheet("线索", LEAD_COLUMNS, rows())]
    )
