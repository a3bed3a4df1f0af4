"""What ops watch on the Flows page: freshness per source, cursors, backlogs and the last flow runs
(all from ``services.status.gather_status``, as ``synchub status`` shows them) and the scheduled
deployments, with links into the Prefect UI.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from hub.web.clock import utc_now
from services.status import HubStatus, gather_status

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


def _runs(status: HubStatus, ui: str) -> list[FlowRun]:
    return [
        FlowRun(
            flow=r.flow,
            run=r.run,
            first_at=r.first_at,
            last_at=r.last_at,
            entries=r.entries,
            url=f"{ui}/runs/flow-run/{r.run_id}" if _UUID.match(r.run_id) else None,
        )
        for r in status.runs
    ]


def deployments(jobs: list[Any], ui: str) -> list[Deployment]:
    """The schedules ``synchub serve`` registers (``flows.registry.load_jobs``)."""
    return [
        Deployment(
            name=job.name,
            flow=job.flow,
            schedule=f"定时表达式 {job.cron}" if job.cron else f"每 {job.interval} 秒",
            parameters={k: str(v) for k, v in job.parameters.items()},
            url=f"{ui}/deployments",
        )
        for job in jobs
    ]


def flows_report(engine: Engine, jobs: list[Any], ui: str, now: datetime | None = None) -> FlowsReport:
    now = now or utc_now()
    ui = ui.rstrip("/")
    status = gather_status(engine, now, runs=True)
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
    return FlowsReport(
        at=now,
        sources=sources,
        cursors=[
            CursorView(connector=c[0], stream=c[1], account=c[2], value=c[3], updated_at=c[4])
            for c in status.cursors
        ],
        backlogs=status.backlogs(),
        runs=_runs(status, ui),
        deployments=deployments(jobs, ui),
        prefect_ui=ui,
    )
