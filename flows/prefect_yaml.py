"""``prefect.yaml`` written from ``flows/schedules.toml``, so the two cannot disagree.

``synchub flows prefect-yaml`` writes it; ``--check`` (and ``tests/flows/test_schedule_source.py``)
fails when the file in the checkout differs from what the schedules say. Entrypoints are module paths
(``flows.intake:pull_source_flow``) and ``pull`` is empty, so no path of the deploying machine is baked
into a deployment: a process worker in any folder of a machine with synchub installed finds every flow.
Job variables carry only ``PREFECT_LOGGING_EXTRA_LOGGERS`` (never a secret: ``prefect deploy`` stores
job variables in clear), so the connectors' and the hub's logs appear in each run's log in the UI.
"""

from __future__ import annotations

from typing import Any

import yaml

from flows.registry import TIMEZONE, Job, concurrency_of, entrypoint_of, flows_by_name, tags_of

__all__ = ["POOL", "prefect_yaml_text"]

POOL = "synchub"
HEADER = """\
# Generated from flows/schedules.toml by `synchub flows prefect-yaml`: edit that file, then run the
# command again (a test fails while the two differ). For a Prefect server with process workers on several
# machines; `synchub serve` is the one-machine alternative and reads the same schedules (docs/operations.md).
"""


def _schedule(job: Job) -> dict[str, Any]:
    when: dict[str, Any] = {"cron": job.cron} if job.cron is not None else {"interval": job.interval}
    return {**when, "timezone": TIMEZONE}


def _deployment(job: Job, flow: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": job.name,
        "entrypoint": entrypoint_of(flow),
        "description": flow.description,
        "tags": tags_of(job, flow),
    }
    if job.parameters:
        entry["parameters"] = job.parameters
    entry["schedules"] = [_schedule(job)]
    concurrency = concurrency_of(job)
    if concurrency is not None:
        entry["concurrency_limit"] = concurrency
    entry["work_pool"] = {
        "name": POOL,
        "job_variables": {"env": {"PREFECT_LOGGING_EXTRA_LOGGERS": "synchub"}},
    }
    return entry


def prefect_yaml_text(jobs: list[Job]) -> str:
    import prefect

    known = flows_by_name()
    document = {
        "name": "synchub",
        "prefect-version": prefect.__version__,
        "pull": [],
        "deployments": [_deployment(job, known[job.flow]) for job in jobs],
    }
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
    return HEADER + body
