"""Failed and crashed runs reach the ops robot (``SYNCHUB_OPS_ROBOT``): a Prefect state hook on every
flow (``flows.common.hub_flow``).

Once per failing job: the first failure since the job last completed is sent at once, with the run's
name, its state message and a link to the run; later failures of the same job, until it completes
again, are held and go out folded into one digest (``services.notify``: held messages wait for the fold
window, then travel together). A job is a deployment (``pull-baidu``) or, run by hand, a flow. The hook
never raises: a failure to tell is logged, and the run's own state stays what it was.
"""

from __future__ import annotations

import logging
from typing import Any

__all__ = ["failure_context", "tell_ops_of_failure"]

log = logging.getLogger("synchub.flows.failures")


def tell_ops_of_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect ``on_failure`` / ``on_crashed`` hook."""
    try:
        _tell(flow, flow_run, state)
    except Exception:  # a hook that raises would hide the run's own failure
        log.exception("could not tell ops that %s failed", getattr(flow_run, "name", "a flow run"))


def failure_context(flow_name: str, flow_run: Any, state: Any, ui_url: str | None) -> dict[str, Any]:
    """What the message says: job, run, state, the (masked) error and the link to the run."""
    from core.redact import mask_text

    link = f"{ui_url.rstrip('/')}/runs/flow-run/{flow_run.id}" if ui_url else None
    return {
        "flow": flow_name,
        "run": flow_run.name,
        "state": state.name or str(state.type),
        "error": mask_text(str(state.message or ""))[:500],
        "link": link,
    }


def _tell(flow: Any, flow_run: Any, state: Any) -> None:
    from prefect.settings import PREFECT_UI_URL

    from core.settings import get_settings
    from services.notify import NotificationService, default_senders, enqueue
    from store.engine import make_engine, session_scope

    settings = get_settings()
    context = failure_context(flow.name, flow_run, state, PREFECT_UI_URL.value())
    log.error("flow run %s %s: %s", context["run"], context["state"], context["error"])
    if settings.ops_robot is None:
        return
    episode = f"flow_failed:{_job_of(flow, flow_run)}:{_last_completed(flow, flow_run) or 'never'}"
    senders = default_senders()
    engine = make_engine()
    try:
        with session_scope(engine) as session:
            first = enqueue(
                session, "flow_failed", settings.ops_channel, settings.ops_robot, context, key=episode
            )
            if first is None:  # this job already failed since it last completed: hold for the digest
                enqueue(
                    session, "flow_failed", settings.ops_channel, settings.ops_robot, context,
                    key=f"{episode}:{flow_run.id}", hold=True,
                )  # fmt: skip
        NotificationService(engine, senders).dispatch()
    finally:
        senders.close()
        engine.dispose()


def _job_of(flow: Any, flow_run: Any) -> str:
    return f"deployment-{flow_run.deployment_id}" if flow_run.deployment_id else f"flow-{flow.name}"


def _last_completed(flow: Any, flow_run: Any) -> str | None:
    """End time of the job's last completed run, as the server knows it (None: never completed)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    completed = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
    )
    scope: dict[str, Any] = (
        {"deployment_filter": DeploymentFilter(id=DeploymentFilterId(any_=[flow_run.deployment_id]))}
        if flow_run.deployment_id
        else {"flow_filter": FlowFilter(name=FlowFilterName(any_=[flow.name]))}
    )
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=completed, sort=FlowRunSort.END_TIME_DESC, limit=1, **scope
        )
    return runs[0].end_time.isoformat() if runs and runs[0].end_time else None
