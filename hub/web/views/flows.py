"""Flows (ops): last runs, freshness per source, cursors, backlogs, deployments; Prefect UI links."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from core.errors import SyncHubError
from hub.web.charts import freshness_chart
from hub.web.context import Console, Viewer, console_of, require
from hub.web.data.flows import FlowsReport, flows_report
from hub.web.render import render

__all__ = ["api", "pages"]

log = logging.getLogger("synchub.web")
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/flows", tags=["flows"])
Ops = Annotated[Viewer, Depends(require("ops"))]
BACKLOG_LABELS = {
    "quarantine_open": "隔离区待处理",
    "awaiting_geocode": "等待地理编码",
    "unrouted_leads": "未分配线索",
    "outbox_pending": "待推送 ERP",
    "outbox_in_flight": "推送中",
    "outbox_dead": "推送失败（死信）",
    "outbox_cancelled": "已取消推送",
}


def _jobs(console: Console) -> tuple[list[Any], str | None]:
    """The schedules file, read once (it imports the flows, which imports Prefect); a broken file
    leaves the rest of the page working and says what is wrong."""
    if "jobs" not in console.memo:
        from flows.registry import load_jobs

        try:
            console.memo["jobs"] = load_jobs()
        except SyncHubError as exc:
            log.warning("flows page: schedules unreadable: %s", exc)
            return [], str(exc)
    jobs: list[Any] = console.memo["jobs"]
    return jobs, None


def _report(request: Request) -> FlowsReport:
    console = console_of(request)
    jobs, problem = _jobs(console)
    report = flows_report(console.engine, jobs, console.settings.prefect_ui())
    return report.model_copy(update={"schedules_error": problem})


@pages.get("/flows")
def flows_page(request: Request, seen: Ops) -> Response:
    report = _report(request)
    chart = freshness_chart([(s.name, s.silent_s, s.expected_interval_s) for s in report.sources])
    return render(request, "flows.html", report=report, chart=chart, backlog_labels=BACKLOG_LABELS)


@api.get("/status", response_model=FlowsReport)
def status_api(request: Request, seen: Ops) -> FlowsReport:
    """Sources and their freshness, cursors, backlogs, last runs (from the ledger), deployments."""
    return _report(request)
