"""Every flow by its name, and the jobs of ``flows/schedules.toml``: the one schedule source, served by
``synchub serve`` and written out as ``prefect.yaml`` for workers (``flows.prefect_yaml``)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from core.errors import ConfigError

__all__ = ["Job", "entrypoint_of", "flows_by_name", "load_jobs", "serve_jobs"]

TIMEZONE = "Asia/Shanghai"


class Job(BaseModel):
    name: str = Field(description="Deployment name.")
    flow: str = Field(description="Flow name, e.g. pull-source.")
    cron: str | None = Field(None, description="Cron expression, Asia/Shanghai time.")
    interval: int | None = Field(None, gt=0, description="Seconds between runs.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    concurrency_limit: int | None = Field(1, ge=1, description="Runs of this job at once (None: no limit).")
    collision_strategy: Literal["CANCEL_NEW", "ENQUEUE"] = Field(
        "CANCEL_NEW",
        description="A run due while the limit is taken: CANCEL_NEW skips it (the next run catches up), "
        "ENQUEUE makes it wait.",
    )
    tags: list[str] = Field(default_factory=list, description="Tags besides synchub and the flow's topic.")

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


def entrypoint_of(flow: Any) -> str:
    """``module:function``: found through the installed package wherever a worker runs, unlike a file path
    (a process worker runs each flow in a temporary folder)."""
    return f"{flow.fn.__module__}:{flow.fn.__name__}"


def tags_of(job: Job, flow: Any) -> list[str]:
    return ["synchub", flow.fn.__module__.rsplit(".", 1)[-1], *job.tags]


def concurrency_of(job: Job) -> dict[str, Any] | None:
    if job.concurrency_limit is None:
        return None
    return {"limit": job.concurrency_limit, "collision_strategy": job.collision_strategy}


def serve_jobs(jobs: list[Job], limit: int = 4) -> None:
    """Register one deployment per job and run them from this process (Prefect ``serve``). Interval jobs
    start 10 s after serve does, then keep their interval (not one whole interval later)."""
    from datetime import UTC, timedelta

    from prefect import serve
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.types.entrypoint import EntrypointType

    known = flows_by_name()
    deployments = []
    for job in jobs:
        flow = known[job.flow]
        concurrency = concurrency_of(job)
        deployments.append(
            flow.to_deployment(
                name=job.name,
                parameters=job.parameters,
                schedule=schedule_of(job, anchor=datetime.now(UTC) + timedelta(seconds=10)),
                concurrency_limit=ConcurrencyLimitConfig(**concurrency) if concurrency else None,
                tags=tags_of(job, flow),
                description=flow.description,
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    serve(*deployments, limit=limit)


def schedule_of(job: Job, anchor: datetime | None = None) -> Any:
    from prefect.schedules import Cron, Interval

    if job.cron is not None:
        return Cron(job.cron, timezone=TIMEZONE)
    return Interval(job.interval or 0, anchor_date=anchor, timezone=TIMEZONE)
