"""Intake flows: pull one ad-platform source; replay quarantine."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.common import flow_audit_context, hub_flow, report_run, retry_only_unexpected

__all__ = ["pull_source_flow", "quarantine_replay_flow"]


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=retry_only_unexpected, cache_policy=NO_CACHE)
def pull_task(source: str) -> dict[str, Any]:
    from connectors.registry import get_source_connector
    from services.intake.pull import pull_source
    from services.intake.tokens import DatabaseTokenStore
    from store.engine import make_engine

    engine = make_engine()
    try:
        with flow_audit_context():
            report = pull_source(engine, get_source_connector(source, token_store=DatabaseTokenStore(engine)))
    finally:
        engine.dispose()
    r = report.landing
    return {"source": report.source, "pages": report.pages, "read": r.received, "landed": r.landed,
            "updated": r.updated, "unchanged": r.unchanged, "quarantined": r.quarantined}  # fmt: skip


@hub_flow("pull-source", timeout_minutes=30, run_name="pull-{source}")
def pull_source_flow(source: str) -> dict[str, Any]:
    """Pull new and changed leads from one ad platform into the hub."""
    return report_run(pull_task(source))


@task(cache_policy=NO_CACHE)
def replay_task(source: str | None) -> dict[str, Any]:
    from services.intake.quarantine import replay
    from store.engine import make_engine, session_scope

    engine = make_engine()
    try:
        with flow_audit_context(reason="scheduled quarantine replay"), session_scope(engine) as s:
            report = replay(s, None, source)
    finally:
        engine.dispose()
    return {"replayed": len(report.replayed), "still_failing": len(report.still_failing)}


@hub_flow("quarantine-replay", timeout_minutes=30)
def quarantine_replay_flow(source: str | None = None) -> dict[str, Any]:
    """Map quarantined records again with the current field maps."""
    return report_run(replay_task(source))
