"""Leads (ops, sales managers): funnel with conversion by source and territory, source mix, SLA
breaches; quarantine with replay (ops: ``services.intake.quarantine.replay``)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from core.errors import InputError
from core.models import utcnow
from hub.web.charts import bar_chart, funnel_chart
from hub.web.confirm import ask, confirmed
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.confirm import replay_all_preview
from hub.web.data.leads import FunnelReport, SlaReport, funnel, sla_breaches
from hub.web.data.quarantine import QuarantineList, quarantine, replay_result
from hub.web.forms import Form, posted
from hub.web.render import render
from services.intake.quarantine import replay
from services.routing.ownership import duplicate_followup
from store.engine import session_scope

__all__ = ["api", "pages"]

log = logging.getLogger("synchub.web")
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/leads", tags=["leads"])
Reader = Annotated[Viewer, Depends(require("ops", "sales_manager"))]
Ops = Annotated[Viewer, Depends(require("ops"))]
Days = Annotated[int, Query(ge=0, le=3650, description="look back this many days (0: all time)")]
Limit = Annotated[int, Query(ge=1, le=500)]
Count = Annotated[int | None, Query(ge=0, le=1_000_000)]


@pages.get("/leads")
def leads_page(
    request: Request, seen: Reader, days: Days = 90, replayed: Count = None, failing: Count = None
) -> Response:
    engine = console_of(request).engine
    report = funnel(engine, days or None)
    with session_scope(engine) as s:
        held = quarantine(s, 100)
        duplicates = duplicate_followup(s, utcnow())
    mix = [(m.source, m.leads, m.share) for m in report.source_mix]
    flash = None
    if replayed is not None:
        flash = f"重放完成：{replayed} 条已入库，{failing or 0} 条仍未通过"
    return render(
        request,
        "leads.html",
        days=days,
        report=report,
        funnel_svg=funnel_chart(report.stages, report.total.counts),
        mix_svg=bar_chart(mix, unit="条"),
        sla=sla_breaches(engine, 100, days or None),
        quarantine=held,
        duplicates=duplicates,
        can_replay="ops" in seen.user.roles,
        flash=flash,
    )


@pages.post("/leads/quarantine/replay")
def replay_quarantine(request: Request, seen: Ops, form: Annotated[Form, Depends(posted)]) -> Response:
    ids = form.ints("id")
    if not ids and form.get("all") != "1":
        raise InputError("请先勾选要重放的记录")
    if form.get("all") == "1" and not confirmed(form):  # every record: say which, and ask first
        with session_scope(console_of(request).engine) as s:
            preview = replay_all_preview(s)
        return ask(request, preview, form, "确认全部重放", "/leads")
    with (
        seen.acting(form.note() or "replayed from the console"),
        session_scope(console_of(request).engine) as s,
    ):
        result = replay_result(replay(s, ids or None))
    log.info(
        "quarantine replay by %s: %d replayed, %d failing",
        seen.user.name,
        len(result.replayed),
        len(result.still_failing),
    )
    target = f"{base_path(request)}/leads?replayed={len(result.replayed)}&failing={len(result.still_failing)}"
    return RedirectResponse(target, status_code=303)


@api.get("/funnel", response_model=FunnelReport)
def funnel_api(request: Request, seen: Reader, days: Days = 90) -> FunnelReport:
    """Leads reaching each stage, overall, by source and by territory; the source mix."""
    return funnel(console_of(request).engine, days or None)


@api.get("/sla-breaches", response_model=SlaReport)
def sla_api(request: Request, seen: Reader, limit: Limit = 50, days: Days = 90) -> SlaReport:
    """Leads past their first-contact deadline (waiting, escalated, late): counts and rows, one set."""
    return sla_breaches(console_of(request).engine, limit, days or None)


@api.get("/quarantine", response_model=QuarantineList)
def quarantine_api(request: Request, seen: Reader, limit: Limit = 100) -> QuarantineList:
    """Open quarantined records (no payloads), oldest first."""
    with session_scope(console_of(request).engine) as s:
        return quarantine(s, limit)
