"""Every flow by its name, and `synchub serve`: deployments with schedules from a TOML file."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

from core.errors import ConfigError

__all__ = ["Job", "flows_by_name", "load_jobs", "serve_jobs"]

TIMEZONE = "Asia/Shanghai"


class Job(BaseModel):
    name: str = Field(description="Deployment name.")
    flow: str = Field(description="Flow name, e.g. pull-source.")
    cron: str | None = Field(None, description="Cron expression, Asia/Shanghai time.")
    interval: int | None = Field(None, gt=0, description="Seconds between runs.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    concurrency_limit: int | None = Field(
        1, ge=1, description="Runs of this job at once (1: a slow run delays the next, never piles up)."
    )

    @model_validator(mode="after")
    def _one_schedule(self) -> Job:
        if (self.cron is None) == (self.interval is None):
            raise ValueError(f"job {self.name!r}: give exactly one of cron or interval")
        return self


def flows_by_name() -> dict[str, Any]:
    from flows.dedupe import dedupe_full_flow, dedupe_leads_flow
    from flows.erp import push_receivables_flow, receivable_alerts_flow, reconcile_erp_flow
    from flows.intake import pull_source_flow, quarantine_replay_flow
    from flows.ledger import ledger_checkpoint_flow
    from flows.observability import freshness_watch_flow
    from flows.routing import process_leads_flow, sla_watch_flow

    every = (
        pull_source_flow,
        quarantine_replay_flow,
        ledger_checkpoint_flow,
        freshness_watch_flow,
        dedupe_leads_flow,
        dedupe_full_flow,
        process_leads_flow,
        sla_watch_flow,
        push_receivables_flow,
        reconcile_erp_flow,
        receivable_alerts_flow,
    )
    return {f.name: f for f in every}


def load_jobs(path: Path | None = None) -> list[Job]:
    text = (
        path.read_text(encoding="utf-8")
        if path
        else resources.files("flows").joinpath("schedules.toml").read_text("utf-8")
    )
    try:
        jobs = [Job(**raw) for raw in tomllib.loads(text).get("jobs", [])]
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise ConfigError(f"{path or 'flows/schedules.toml'}: {exc}") from None
    known = flows_by_name()
    for job in jobs:
        if job.flow not in known:
            raise ConfigError(
                f"job {job.name!r}: unknown flow {job.flow!r}; known: {', '.join(sorted(known))}"
            )
    return jobs


def serve_jobs(jobs: list[Job], limit: int = 4) -> None:
    """Register one deployment per job and run them from this process (Prefect ``serve``)."""
    from prefect import serve

    known = flows_by_name()
    deployments = [
        known[job.flow].to_deployment(
            name=job.name,
            parameters=job.parameters,
            schedule=schedule_of(job),
            concurrency_limit=job.concurrency_limit,
        )
        for job in jobs
    ]
    serve(*deployments, limit=limit)


def schedule_of(job: Job) -> Any:
    from prefect.schedules import Cron, Interval

    if job.cron is not None:
        return Cron(job.cron, timezone=TIMEZONE)
    return Interval(job.interval or 0, timezone=TIMEZONE)
