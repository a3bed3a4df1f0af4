"""Routing flows: ``process-leads`` (geocode, including leads a quota stop left waiting, then route
and notify) and ``sla-watch`` (escalate overdue first contacts, send what is owed). Thin: the logic
is ``services.routing.process_new_leads`` and ``services.routing.escalate_overdue``."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.common import flow_audit_context, hub_flow, report_run, retry_only_unexpected

__all__ = ["process_leads_flow", "sla_watch_flow"]


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def process_leads_task(limit: int) -> dict[str, Any]:
    from contextlib import ExitStack

    from sqlalchemy import select

    from connectors.amap import AmapClient, AmapSettings
    from core.models import Lead
    from services.notify import default_senders
    from services.routing.service import process_new_leads
    from store.engine import make_engine, session_scope

    engine = make_engine()
    try:
        with session_scope(engine) as session:
            ids = list(
                session.scalars(
                    select(Lead.id).where(Lead.assigned_at.is_(None)).order_by(Lead.id).limit(limit)
                )
            )
        with ExitStack() as stack, flow_audit_context(reason="routing"):
            settings = AmapSettings()
            geocoder = stack.enter_context(AmapClient(settings)) if settings.key else None
            senders = default_senders()
            stack.callback(senders.close)
            report = process_new_leads(engine, ids, geocoder=geocoder, senders=senders)
            if geocoder is not None:  # leads a quota stop left waiting, already routed
                from services.intake.geocode import resume_awaiting

                with session_scope(engine) as session:
                    resumed = resume_awaiting(session, geocoder)
            else:
                resumed = None
    finally:
        engine.dispose()
    return {"leads": report.leads, "routed": report.routed, "alerts": report.alerts,
            "amap_calls": report.geocode.calls, "awaiting": report.geocode.awaiting,
            "resumed": resumed.leads if resumed else 0, "sent": report.dispatch.sent}  # fmt: skip


@hub_flow("process-leads", timeout_minutes=10)
def process_leads_flow(limit: int = 1000) -> dict[str, Any]:
    """Geocode, score, route and notify leads not yet assigned."""
    return report_run(process_leads_task(limit))


@task(cache_policy=NO_CACHE)
def sla_watch_task() -> dict[str, Any]:
    from services.notify import NotificationService, default_senders
    from services.routing.sla import escalate_overdue
    from store.engine import make_engine

    engine = make_engine()
    senders = default_senders()
    try:
        with flow_audit_context(reason="sla watch"):
            report = escalate_overdue(engine, senders=senders)
            NotificationService(engine, senders).dispatch()  # folded messages whose minute has passed
    finally:
        senders.close()
        engine.dispose()
    return {"escalated": len(report.escalated), "reassigned": len(report.reassigned)}


@hub_flow("sla-watch", timeout_minutes=10)
def sla_watch_flow() -> dict[str, Any]:
    """Escalate leads whose first-contact deadline passed; flush folded notifications."""
    return report_run(sla_watch_task())
