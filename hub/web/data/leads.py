"""The lead funnel (lead -> first contact -> need confirmed -> proposal -> contract -> payment) with
conversion by source and by territory, the source mix and SLA breaches.

How far a lead got comes from the events that happened to it (:mod:`hub.web.data.lead_progress`): first
contact, the stages the ledger recorded, contracts naming the lead or its customer, and their payments.
Territory is the lead's routed team, else the province of its adcode. The SLA box is
:mod:`hub.web.data.sla` (re-exported here).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.models import Source
from hub.web.clock import utc_now
from hub.web.data.lead_progress import lead_progress
from hub.web.data.sla import SlaBreach, SlaReport, sla_breaches
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
    """Leads created in the period and how far each got (:mod:`hub.web.data.lead_progress`)."""
    since = (now or utc_now()) - timedelta(days=days) if days else None
    total = [0] * len(STAGES)
    by_source: dict[int, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    by_territory: dict[str, list[int]] = defaultdict(lambda: [0] * len(STAGES))
    with session_scope(engine) as s:
        sources = {i: (n, k) for i, n, k in s.execute(select(Source.id, Source.name, Source.kind)).all()}
        for lead in lead_progress(s, since):
            place = territory(lead.team, lead.province)
            for hist in (total, by_source[lead.source_id], by_territory[place]):
                hist[lead.furthest] += 1
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
