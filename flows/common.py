"""What every flow shares: the ledger actor of the current run, and the retry gate for tasks.

Retries of HTTP calls live in the connector layer; a Prefect task retries only for failures that are
neither HTTP nor deliberate (a database blip), so attempts never multiply across layers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from audit.context import audit_context

__all__ = ["flow_audit_context", "retry_only_unexpected"]


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

    from hub.errors import SyncHubError

    try:
        state.result()
    except (SyncHubError, httpx.HTTPError):
        return False
    except Exception:  # anything else (a database blip, an OS error) may pass on a retry
        return True
    return False
