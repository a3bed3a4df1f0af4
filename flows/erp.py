"""ERP flows: push-receivables (the outbox to Kingdee / Yonyou), reconcile-erp (payments, write-offs,
invoices and ERP customers back, overdue status), receivable-alerts (not invoiced, overdue).

Thin wrappers: each task builds its engine and gateways from settings and calls a plain function of
``services.finance`` (tested without Prefect). Several workers may run push-receivables at once: claims
use ``FOR UPDATE SKIP LOCKED`` on PostgreSQL. Schedule lines for ``flows/schedules.toml``::

    [[jobs]]
    name = "push-receivables"
    flow = "push-receivables"
    interval = 60

    [[jobs]]
    name = "reconcile-erp"
    flow = "reconcile-erp"
    cron = "*/30 * * * *"

    [[jobs]]
    name = "receivable-alerts"
    flow = "receivable-alerts"
    cron = "0 9 * * *"
"""

from __future__ import annotations

import os
import socket
from datetime import date
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.common import flow_audit_context, hub_flow, report_run, retry_only_unexpected
from mapping.timestamps import china_today

__all__ = ["push_receivables_flow", "receivable_alerts_flow", "reconcile_erp_flow"]


@task(retries=2, retry_delay_seconds=10, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def push_task(max_rounds: int, concurrency: int) -> dict[str, Any]:
    from services.finance.gateways import build_gateways, close_all
    from services.finance.push import PushReport, push_once
    from store.engine import make_engine

    engine, gateways, total = make_engine(), build_gateways(), PushReport()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        with flow_audit_context():
            for _ in range(max_rounds):
                report = push_once(engine, gateways, worker=worker, concurrency=concurrency)
                total.merge(report)
                if report.claimed == 0:
                    break
    finally:
        close_all(gateways)
        engine.dispose()
    return {"claimed": total.claimed, **dict(total.outcomes)}


@hub_flow("push-receivables", timeout_minutes=30)
def push_receivables_flow(max_rounds: int = 50, concurrency: int = 4) -> dict[str, Any]:
    """Push due outbox messages to the ERPs until none is due (at most ``max_rounds`` batches)."""
    return report_run(push_task(max_rounds, concurrency))


@task(retries=2, retry_delay_seconds=30, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def reconcile_task(today: str | None) -> dict[str, Any]:
    from services.finance.customers import pull_customers
    from services.finance.gateways import build_gateways, close_all
    from services.finance.reconcile import reconcile
    from store.engine import make_engine

    day = date.fromisoformat(today) if today else china_today()
    engine, gateways = make_engine(), build_gateways()
    out: dict[str, Any] = {}
    try:
        with flow_audit_context(reason="scheduled ERP reconcile"):
            for name, gateway in gateways.items():
                r = reconcile(engine, gateway, day)
                out[name] = {
                    "settlements": r.settlements,
                    "invoices": r.invoices,
                    "status_changes": r.status_changes,
                    "customers": pull_customers(engine, gateway),
                }
    finally:
        close_all(gateways)
        engine.dispose()
    return out


@hub_flow("reconcile-erp", timeout_minutes=30)
def reconcile_erp_flow(today: str | None = None) -> dict[str, Any]:
    """Pull payments, write-offs, invoices and customers from every ERP; update installments."""
    return report_run(reconcile_task(today))


@task(cache_policy=NO_CACHE)
def alerts_task(today: str | None) -> dict[str, Any]:
    from services.finance.notify import deliver_alerts
    from services.notify import default_senders
    from store.engine import make_engine

    day = date.fromisoformat(today) if today else china_today()
    engine, senders = make_engine(), default_senders()
    try:
        with flow_audit_context(reason="receivable alerts"):
            return deliver_alerts(engine, day, senders).as_dict()
    finally:
        senders.close()
        engine.dispose()


@hub_flow("receivable-alerts", timeout_minutes=30)
def receivable_alerts_flow(today: str | None = None) -> dict[str, Any]:
    """Raise not-invoiced and overdue alerts once per event and send them to the owner and finance."""
    return report_run(alerts_task(today))
