"""The watch on the watchers: a source that silently stops delivering raises an alert.

"Nothing arrives and nobody is told" is the most common complaint about sync tools; this flow runs on
a schedule, finds every source silent for longer than its expected interval, and alerts on it.
"""

from __future__ import annotations

import logging
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows.common import report_run

__all__ = ["freshness_watch_flow", "stale_sources"]

log = logging.getLogger("synchub.flows.freshness")


def stale_sources() -> list[dict[str, Any]]:
    """Plain function (testable without Prefect): the stale sources with how long they were silent."""
    from hub.status import gather_status
    from hub.store import make_engine

    engine = make_engine()
    try:
        status = gather_status(engine)
    finally:
        engine.dispose()
    alerts = []
    for src in status.stale():
        silent = src.silent_for(status.at)
        expected_min = (src.expected_interval_s or 0) // 60
        for_how_long = "ever" if silent is None else f"{int(silent.total_seconds() // 60)} min"
        alerts.append(
            {
                "source": src.name,
                "expected_interval_s": src.expected_interval_s,
                "silent_s": None if silent is None else int(silent.total_seconds()),
                "message": f"source {src.name} has delivered nothing new for {for_how_long} "
                f"(expected every {expected_min} min)",
            }
        )
    return alerts


@task(cache_policy=NO_CACHE)
def check_freshness() -> list[dict[str, Any]]:
    from prefect import get_run_logger

    alerts = stale_sources()
    for alert in alerts:
        get_run_logger().error("FRESHNESS ALERT: %s", alert["message"])
    return alerts


@flow(name="freshness-watch", flow_run_name="freshness-watch")
def freshness_watch_flow() -> list[dict[str, Any]]:
    """Alert on every source silent for longer than its expected interval."""
    alerts = check_freshness()
    return report_run(alerts, {"stale_sources": len(alerts)})
