"""The SLA box: leads that broke their first-contact deadline, counted and listed as one set.

Three kinds, each counted from exactly the rows the table lists (a lead can be of two kinds):

- waiting: past its deadline, not contacted, still ``new``/``assigned`` (any age: each needs action now);
- escalated: escalated in the period (an escalation that reassigned the lead gave it a fresh deadline,
  so it is no longer waiting, but it is still listed here);
- late contact: contacted in the period after its deadline had passed.

``limit`` cuts the table only; ``total`` says how many leads the counts cover, ``items`` holds at most
``limit`` of them, waiting ones first, then escalated, then late contacts, oldest deadline first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Engine

from core.models import Lead, Source
from hub.web.clock import utc_now
from store.engine import session_scope

__all__ = ["SlaBreach", "SlaReport", "sla_breaches"]


class SlaBreach(BaseModel):
    lead_id: int
    company: str | None
    source: str
    team: str | None
    owner: str | None
    stage: str
    sla_due_at: datetime
    overdue_s: float | None  # waiting: now - deadline; late contact: contact - deadline; else None
    escalated_at: datetime | None
    first_contact_at: datetime | None
    waiting: bool
    escalated: bool
    late_contact: bool


class SlaReport(BaseModel):
    open: int  # waiting
    late_contacts: int
    escalated: int
    total: int  # leads of any of the three kinds (the union; the table has min(total, limit) rows)
    items: list[SlaBreach]


def sla_breaches(
    engine: Engine, limit: int = 50, days: int | None = 90, now: datetime | None = None
) -> SlaReport:
    """The leads the SLA box counts, and the counts taken from those same leads."""
    now = now or utc_now()
    since = now - timedelta(days=days) if days else None
    period = (Lead.created_at >= since,) if since is not None else ()
    waiting = and_(
        Lead.sla_due_at < now, Lead.first_contact_at.is_(None), Lead.stage.in_(("new", "assigned"))
    )
    escalated = and_(Lead.escalated_at.is_not(None), *period)
    late = and_(Lead.first_contact_at > Lead.sla_due_at, *period)
    flags = [case((cond, 1), else_=0) for cond in (waiting, escalated, late)]
    in_box = or_(waiting, escalated, late)
    with session_scope(engine) as s:
        names = dict(s.execute(select(Source.id, Source.name)).all())
        counts = s.execute(select(func.count(), *(func.sum(f) for f in flags)).where(in_box)).one()
        rows = s.execute(
            select(Lead, *flags)
            .where(in_box)
            .order_by(flags[0].desc(), flags[1].desc(), Lead.sla_due_at, Lead.id)
            .limit(limit)
        ).all()
        items = [_item(lead, now, names, bool(w), bool(e), bool(lt)) for lead, w, e, lt in rows]
    total, open_, esc, late_n = (int(n or 0) for n in counts)
    return SlaReport(open=open_, late_contacts=late_n, escalated=esc, total=total, items=items)


def _item(
    lead: Lead, now: datetime, names: dict[int, str], waiting: bool, esc: bool, late: bool
) -> SlaBreach:
    due = lead.sla_due_at or now
    overdue = None
    if waiting:
        overdue = (now - due).total_seconds()
    elif late and lead.first_contact_at is not None:
        overdue = (lead.first_contact_at - due).total_seconds()
    return SlaBreach(
        lead_id=lead.id,
        company=lead.company,
        source=names.get(lead.source_id, "?"),
        team=lead.team,
        owner=lead.owner,
        stage=lead.stage,
        sla_due_at=due,
        overdue_s=overdue,
        escalated_at=lead.escalated_at,
        first_contact_at=lead.first_contact_at,
        waiting=waiting,
        escalated=esc,
        late_contact=late,
    )
