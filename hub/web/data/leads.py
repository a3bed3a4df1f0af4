"""The lead funnel (lead -> first contact -> need confirmed -> proposal -> contract -> payment) with
conversion by source and by territory, the source mix and SLA breaches.

How far a lead got comes from its stage, its first-contact time, and the contracts and payments that
name it: a payment beats a contract, a contract (or ``won``) beats ``proposal``, and so on.
Territory is the lead's routed team, else the province of its adcode.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import case, exists, func, select
from sqlalchemy.engine import Engine

from core.models import Contract, Lead, Payment, Source
from hub.web.clock import utc_now
from mapping.address import division_table
from store.engine import session_scope

__all__ = [
    "STAGES",
    "FunnelReport",
    "FunnelRow",
    "MixItem",
    "SlaBreach",
    "SlaReport",
    "funnel",
    "reached",
    "sla_breaches",
    "territory",
]

STAGES = (
    ("lead", "线索"),
    ("contacted", "首次联系"),
    ("qualified", "需求确认"),
    ("proposal", "方案报价"),
    ("contract", "签约"),
    ("payment", "回款"),
)
UNPLACED = "未定位"


class FunnelRow(BaseModel):
    key: str
    counts: list[int]  # leads that reached each stage
    rates: list[float | None]  # stage over the stage before it (first: None)
    overall: float | None  # payment over leads


class MixItem(BaseModel):
    source: str
    kind: str
    leads: int
    share: float


class FunnelReport(BaseModel):
    days: int | None
    since: datetime | None
    stages: list[str]
    total: FunnelRow
    by_source: list[FunnelRow]
    by_territory: list[FunnelRow]
    source_mix: list[MixItem]


class SlaBreach(BaseModel):
    lead_id: int
    company: str | None
    source: str
    team: str | None
    owner: str | None
    stage: str
    sla_due_at: datetime
    overdue_s: float
    escalated_at: datetime | None


class SlaReport(BaseModel):
    open: int
    late_contacts: int
    escalated: int
    items: list[SlaBreach]


def reached(stage: str, contacted: bool, has_contract: bool, has_payment: bool) -> int:
    """Index in :data:`STAGES` of the furthest stage a lead reached."""
    if has_payment:
        return 5
    if has_contract or stage == "won":
        return 4
    if stage == "proposal":
        return 3
    if stage == "qualified":
        return 2
    return 1 if contacted or stage == "contacted" else 0


def _row(key: str, hist: list[int]) -> FunnelRow:
    counts = [sum(hist[i:]) for i in range(len(STAGES))]
    rates = [None] + [counts[i] / counts[i - 1] if counts[i - 1] else None for i in range(1, len(counts))]
    return FunnelRow(
        key=key, counts=counts, rates=rates, overall=counts[-1] / counts[0] if counts[0] else None
    )


def territory(team: str | None, province: str | None) -> str:
    if team:
        return team
    division = division_table().get(f"{province}0000") if province else None
    return division.name if division else UNPLACED


def funnel(engine: Engine, days: int | None = 90, now: datetime | None = None) -> FunnelReport:
    since = (now or utc_now()) - timedelta(days=days) if days else None
    has_contract = exists().where(Contract.lead_id == Lead.id)
    has_payment = exists(
        select(Payment.id)
        .join(Contract, Contract.id == Payment.contract_id)
        .where(Contract.lead_id == Lead.id)
    )
    per_lead = select(
        Lead.source_id.label("source_id"),
        Lead.team.label("team"),
        func.substr(Lead.adcode, 1, 2).label("province"),
        Lead.stage.label("stage"),
        case((Lead.first_contact_at.is_(None), 0), else_=1).label("contacted"),
        case((has_contract, 1), else_=0).label("contract"),
        case((has_payment, 1), else_=0).label("payment"),
    )
    if since is not None:
        per_lead = per_lead.where(Lead.created_at >= since)
    sub = per_lead.subquery()
    grouped = select(*sub.c, func.count()).group_by(*sub.c)
    total = [0] * len(STAGES)
    by_source: dict[int, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    by_territory: dict[str, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    with session_scope(engine) as s:
        sources = {i: (n, k) for i, n, k in s.execute(select(Source.id, Source.name, Source.kind)).all()}
        for row in s.execute(grouped).all():
            source_id, team, province, stage, contacted, contract, payment, n = tuple(row)
            i = reached(str(stage), bool(contacted), bool(contract), bool(payment))
            for hist in (total, by_source[int(source_id)], by_territory[territory(team, province)]):
                hist[i] += int(n)
    leads = sum(total)
    mix = sorted(
        (
            MixItem(source=sources[k][0], kind=sources[k][1], leads=sum(h), share=sum(h) / leads)
            for k, h in by_source.items()
            if k in sources
        ),
        key=lambda m: (-m.leads, m.source),
    )
    source_rows = sorted(
        (_row(sources[k][0] if k in sources else str(k), h) for k, h in by_source.items()),
        key=lambda r: (-r.counts[0], r.key),
    )
    territory_rows = sorted(
        (_row(k, h) for k, h in by_territory.items()), key=lambda r: (-r.counts[0], r.key)
    )
    return FunnelReport(
        days=days,
        since=since,
        stages=[label for _, label in STAGES],
        total=_row("全部", total),
        by_source=source_rows,
        by_territory=territory_rows,
        source_mix=mix,
    )


def sla_breaches(
    engine: Engine, limit: int = 50, days: int | None = 90, now: datetime | None = None
) -> SlaReport:
    """Leads past their first-contact deadline and still not contacted (oldest deadline first), with
    counts of late first contacts and escalations in the period."""
    now = now or utc_now()
    since = now - timedelta(days=days) if days else None
    waiting = (
        Lead.sla_due_at < now,
        Lead.first_contact_at.is_(None),
        Lead.stage.in_(("new", "assigned")),
    )
    period = (Lead.created_at >= since,) if since is not None else ()
    with session_scope(engine) as s:
        names = dict(s.execute(select(Source.id, Source.name)).all())
        count_open = s.scalar(select(func.count()).select_from(Lead).where(*waiting)) or 0
        late = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.first_contact_at > Lead.sla_due_at, *period)
        )
        escalated = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.escalated_at.is_not(None), *period)
        )
        rows = s.scalars(select(Lead).where(*waiting).order_by(Lead.sla_due_at, Lead.id).limit(limit)).all()
        items = [
            SlaBreach(
                lead_id=lead.id,
                company=lead.company,
                source=names.get(lead.source_id, "?"),
                team=lead.team,
                owner=lead.owner,
                stage=lead.stage,
                sla_due_at=lead.sla_due_at or now,
                overdue_s=(now - (lead.sla_due_at or now)).total_seconds(),
                escalated_at=lead.escalated_at,
            )
            for lead in rows
        ]
    return SlaReport(
        open=int(count_open), late_contacts=int(late or 0), escalated=int(escalated or 0), items=items
    )
