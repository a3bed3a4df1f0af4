"""What every flow shares: the flow decorator (timeout, failure hooks), the ledger actor of the current
run, the retry gate for tasks, and the report of a run's counts (a log line and a Prefect table artifact).

Retries of HTTP calls live in the connector layer; a Prefect task retries only for failures that are
neither HTTP nor deliberate (a database blip), so attempts never multiply across layers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from audit.context import audit_context

__all__ = ["count_flow_run", "flow_audit_context", "hub_flow", "report_run", "retry_only_unexpected"]

if TYPE_CHECKING:
    from collections.abc import Callable

    from prefect import Flow

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


def hub_flow(
    name: str, *, timeout_minutes: int, run_name: str | None = None
) -> Callable[[Callable[P, R]], Flow[P, R]]:
    """``prefect.flow`` as every SyncHub flow wants it: a timeout (a hung vendor call must not hold the
    job's one concurrency slot for ever), failed and crashed runs told to ops
    (:mod:`flows.failures`), the run named after what it ran, and no print capture."""
    from prefect import flow

    from flows.failures import tell_ops_of_failure

    return flow(
        name=name,
        flow_run_name=run_name or name,
        timeout_seconds=timeout_minutes * 60,
        log_prints=False,
        on_running=[hub_lines_in_run_log],
        on_completion=[count_flow_run],
        on_failure=[count_flow_run, tell_ops_of_failure],
        on_crashed=[count_flow_run, tell_ops_of_failure],
        on_cancellation=[count_flow_run],
    )


def count_flow_run(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect hook on every final state: ``synchub_flow_runs_total{flow, state}`` (core.metrics)."""
    from core.metrics import FLOW_RUNS

    FLOW_RUNS.labels(flow.name, state.name or str(state.type)).inc()


def hub_lines_in_run_log(flow: Any, flow_run: Any, state: Any) -> None:
    """Prefect ``on_running`` hook. Prefect's root logger stops at WARNING; PREFECT_LOGGING_EXTRA_LOGGERS
    hands the ``synchub`` records to the run's log, and this lets the hub's and the connectors' INFO
    lines (pages pulled, tokens refreshed, bills created) through, unless a level was set already."""
    hub = logging.getLogger("synchub")
    if hub.level == logging.NOTSET:
        hub.setLevel(logging.INFO)


def _run_identity() -> tuple[str, str]:
    from prefect.runtime import flow_run

    name = flow_run.flow_name or "flow"
    run_id = str(flow_run.id or "local")
    return f"flow:{name}/{flow_run.name or run_id}", f"flow-run:{run_id}"


@contextmanager
def flow_audit_context(reason: str | None = None) -> Iterator[None]:
    """Ledger entries written inside carry this flow run as actor and correlation id."""
    actor, correlation = _run_identity()
    with audit_context(actor=actor, correlation_id=correlation, reason=reason):
        yield


def retry_only_unexpected(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: never retry our own errors (they are fatal or already retried)."""
    import httpx

    from core.errors import SyncHubError

    try:
        state.result()
    except (SyncHubError, httpx.HTTPError):
        return False
    except Exception:  # anything else (a database blip, an OS error) may pass on a retry
        return True
    return False


def report_run(counts: T, summary: Mapping[str, Any] | None = None) -> T:
    """Say what this run did: one log line (``pull-baidu: read 12, landed 10, ...``) and a table
    artifact keyed by the run name, so each job's counts form a history in the Prefect UI next to its
    runs. ``summary`` stands in for ``counts`` when those are not a mapping (a list of alerts).
    Returns ``counts``; the work is committed by now, so a failure to attach the artifact is logged,
    never raised."""
    from prefect import get_run_logger
    from prefect.artifacts import create_table_artifact
    from prefect.runtime import flow_run

    row = _flat(summary if summary is not None else counts if isinstance(counts, Mapping) else {})
    name = flow_run.name or flow_run.flow_name or "flow"
    logger = get_run_logger()
    logger.info("%s: %s", name, ", ".join(f"{k} {v}" for k, v in row.items()) or "nothing to report")
    try:
        create_table_artifact(table=[row], key=_artifact_key(name), description=f"What {name} did.")
    except Exception as exc:  # a server hiccup must not turn a finished run into a failed one
        logger.warning("%s: counts not attached to the run (%s)", name, exc)
    return counts


def _flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested counts on one row (``kingdee.settlements``); lists by their length."""
    row: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            row.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, list | tuple | set):
            row[f"{prefix}{key}"] = len(value)
        else:
            row[f"{prefix}{key}"] = value
    return row


def _artifact_key(name: str) -> str:
    """Prefect artifact keys take lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "flow"
