"""What ops watch on the Flows page: freshness per source (``hub.status.gather_status``), cursors,
backlogs, the last flow runs and the scheduled deployments, with links into the Prefect UI.

Last runs are read from the ledger, where every flow run signs its writes (actor
``flow:NAME/RUN``, correlation ``flow-run:ID``): they show without a Prefect server, and a run that
changed nothing does not show (the Prefect UI, linked, has every run).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from hub.models import Lead
from hub.status import gather_status
from hub.store import session_scope
from hub.web.clock import utc_now

__all__ = [
    "CursorView",
    "Deployment",
    "FlowRun",
    "FlowsReport",
    "SourceFreshness",
    "deployments",
    "flows_report",
]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class SourceFreshness(BaseModel):
    name: str
    kind: str
    enabled: bool
    last_delivery_at: datetime | None
    expected_interval_s: int | None
    silent_s: float | None
    stale: bool
    leads: int
    quarantined_open: int


class CursorView(BaseModel):
    connector: str
    stream: str
    account: str
    value: str | None
    updated_at: datetime


class FlowRun(BaseModel):
    flow: str
    run: str
    first_at: datetime
    last_at: datetime
    entries: int
    url: str | None


class Deployment(BaseModel):
    name: str
    flow: str
    schedule: str
    parameters: dict[str, str]
    url: str


class FlowsReport(BaseModel):
    at: datetime
    sources: list[SourceFreshness]
    cursors: list[CursorView]
    backlogs: dict[str, int]
    runs: list[FlowRun]
    deployments: list[Deployment]
    prefect_ui: str
    schedules_error: str | None = None  # the schedules file could not be read


def _runs(engine: Engine, ui: str, since: datetime, limit: int) -> list[FlowRun]:
    last = func.max(AuditLog.recorded_at)
    query = (
        select(AuditLog.actor, AuditLog.correlation_id, func.min(AuditLog.recorded_at), last, func.count())
        .where(AuditLog.actor.startswith("flow:"), AuditLog.recorded_at >= since)
        .group_by(AuditLog.actor, AuditLog.correlation_id)
        .order_by(last.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for actor, correlation, first, latest, n in rows:
        flow, _, run = actor.removeprefix("flow:").partition("/")
        run_id = (correlation or "").removeprefix("flow-run:")
        url = f"{ui}/runs/flow-run/{run_id}" if _UUID.match(run_id) else None
        out.append(FlowRun(flow=flow, run=run or "—", first_at=first, last_at=latest, entries=n, url=url))
    return out


def deployments(jobs: list[Any], ui: str) -> list[Deployment]:
    """The schedules ``synchub serve`` registers (``flows.registry.load_jobs``)."""
    return [
        Deployment(
            name=job.name,
            flow=job.flow,
            schedule=f"cron {job.cron}" if job.cron else f"每 {job.interval} 秒",
            parameters={k: str(v) for k, v in job.parameters.items()},
            url=f"{ui}/deployments",
        )
        for job in jobs
    ]


def flows_report(
    engine: Engine, jobs: list[Any], ui: str, now: datetime | None = None, run_days: int = 7
) -> FlowsReport:
    now = now or utc_now()
    ui = ui.rstrip("/")
    status = gather_status(engine, now)
    sources = [
        SourceFreshness(
            name=s.name,
            kind=s.kind,
            enabled=s.enabled,
            last_delivery_at=s.last_delivery_at,
            expected_interval_s=s.expected_interval_s,
            silent_s=None if (gap := s.silent_for(now)) is None else gap.total_seconds(),
            stale=s.is_stale(now),
            leads=s.leads,
            quarantined_open=s.quarantined_open,
        )
        for s in status.sources
    ]
    with session_scope(engine) as s:
        geocode = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.geocode_status == "awaiting_geocode")
        )
        unrouted = s.scalar(
            select(func.count()).select_from(Lead).where(Lead.stage == "new", Lead.owner.is_(None))
        )
    backlogs = {
        "quarantine_open": status.quarantine_open,
        "awaiting_geocode": int(geocode or 0),
        "unrouted_leads": int(unrouted or 0),
        **{f"outbox_{k}": v for k, v in sorted(status.outbox.items()) if k != "done"},
    }
    return FlowsReport(
        at=now,
        sources=sources,
        cursors=[
            CursorView(connector=c[0], stream=c[1], account=c[2], value=c[3], updated_at=c[4])
            for c in status.cursors
        ],
        backlogs=backlogs,
        runs=_runs(engine, ui, now - timedelta(days=run_days), 30),
        deployments=deployments(jobs, ui),
        prefect_ui=ui,
    )
