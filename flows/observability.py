"""The watch on the watchers: a source that silently stops delivering raises an alert.

"Nothing arrives and nobody is told" is the most common complaint about sync tools; this flow runs on
a schedule, finds every source silent for longer than its expected interval, and alerts on it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.common import hub_flow, report_run

if TYPE_CHECKING:
    from services.notify import Senders

__all__ = ["freshness_watch_flow", "stale_sources"]

log = logging.getLogger("synchub.flows.freshness")


def stale_sources() -> list[dict[str, Any]]:
    """Plain function (testable without Prefect): the stale sources with how long they were silent."""
    from services.status import gather_status
    from store.engine import make_engine

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
                "last_delivery_at": src.last_delivery_at.isoformat() if src.last_delivery_at else None,
                "silent_s": None if silent is None else int(silent.total_seconds()),
                "message": f"source {src.name} has delivered nothing new for {for_how_long} "
                f"(expected every {expected_min} min)",
            }
        )
    return alerts


def tell_ops(alerts: list[dict[str, Any]], senders: Senders) -> int:
    """One robot message per silence to the ops robot (``SYNCHUB_OPS_ROBOT``): keyed by the source and
    its last delivery, so a source that stays silent is announced once, and again only after it has
    delivered and fallen silent anew. Returns the messages sent (0 with no robot configured)."""
    from core.settings import get_settings
    from services.notify import NotificationService, enqueue
    from store.engine import make_engine, session_scope

    settings = get_settings()
    if not alerts or settings.ops_robot is None or settings.ops_channel not in senders.robots:
        return 0
    engine = make_engine()
    try:
        with session_scope(engine) as s:
            for alert in alerts:
                context = {
                    **alert,
                    "silent_min": None if alert["silent_s"] is None else alert["silent_s"] // 60,
                    "expected_min": (alert["expected_interval_s"] or 0) // 60,
                }
                key = f"source_silent:{alert['source']}:{alert['last_delivery_at'] or 'never'}"
                enqueue(s, "source_silent", settings.ops_channel, settings.ops_robot, context, key=key)
        report = NotificationService(engine, senders).dispatch()
    finally:
        engine.dispose()
    return report.sent + report.digests


@task(cache_policy=NO_CACHE)
def check_freshness() -> tuple[list[dict[str, Any]], int]:
    from prefect import get_run_logger

    from services.notify import default_senders

    alerts = stale_sources()
    for alert in alerts:
        get_run_logger().error("FRESHNESS ALERT: %s", alert["message"])
    senders = default_senders()
    try:
        return alerts, tell_ops(alerts, senders)
    finally:
        senders.close()


@hub_flow("freshness-watch", timeout_minutes=5)
def freshness_watch_flow() -> list[dict[str, Any]]:
    """Alert on every source silent for longer than its expected interval."""
    alerts, told = check_freshness()
    return report_run(alerts, {"stale_sources": len(alerts), "messages_sent": told})
