"""Dedupe flows: ``dedupe-leads`` links each new lead to its customer (or makes one) against an index
of every customer, built once per run and kept while the run watches for new leads (``dedupe.watch``);
``dedupe-full`` re-clusters every customer in one batch (sure pairs merge, unsure ones are queued for
review). Thin: the logic is ``dedupe.watch.watch_pending_leads`` and ``dedupe.service.run_full``."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.common import flow_audit_context, hub_flow, report_run, retry_only_unexpected

__all__ = ["dedupe_full_flow", "dedupe_leads_flow"]


def _settled(engine: Any, report: dict[str, Any]) -> dict[str, Any]:
    """One customer, one owner after the run's merges: open leads moved, former owners told."""
    from services.routing.people import settle_merges

    return {**report, "leads_moved_to_owner": settle_merges(engine, report.pop("merged_golden_ids", []))}


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def dedupe_leads_task(watch_seconds: float, poll_seconds: float) -> dict[str, Any]:
    from dedupe.watch import watch_pending_leads
    from store.engine import make_engine

    engine = make_engine()
    try:
        with flow_audit_context(reason="match new leads to customers"):
            return _settled(engine, watch_pending_leads(engine, watch_seconds, poll_seconds))
    finally:
        engine.dispose()


@hub_flow("dedupe-leads", timeout_minutes=15)
def dedupe_leads_flow(watch_seconds: float = 0.0, poll_seconds: float = 5.0) -> dict[str, Any]:
    """Link every lead without a customer to the customer it belongs to, creating one where none does;
    with ``watch_seconds``, keep doing so every ``poll_seconds`` with the same customer index."""
    return report_run(dedupe_leads_task(watch_seconds, poll_seconds))


@task(retries=2, retry_delay_seconds=30, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def dedupe_full_task() -> dict[str, Any]:
    from dedupe.service import run_full
    from store.engine import make_engine, session_scope

    engine = make_engine()
    try:
        with flow_audit_context(reason="full dedupe run"):
            with session_scope(engine) as session:
                report = run_full(session)
            return _settled(engine, report)
    finally:
        engine.dispose()


@hub_flow("dedupe-full", timeout_minutes=180)
def dedupe_full_flow() -> dict[str, Any]:
    """Re-cluster every customer; never undoes an admin's merge, adds what the batch finds."""
    return report_run(dedupe_full_task())
