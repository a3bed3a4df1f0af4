"""Finance alerts through the notification layer (``services.notify``): a :class:`Notifier` that owes one
robot message per recipient in ``notification_log`` (idempotent on the alert and the recipient);
``NotificationService.dispatch`` then sends them within each robot's limits, folding the excess into
digests. Registers the two templates it uses. :func:`deliver_alerts` is what the scheduled flow and
``synchub contract alerts`` run."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from services.finance.alerts import AlertReport, LoggingNotifier, Notifier, run_alerts
from services.finance.settings import FinanceSettings
from services.notify import DispatchReport, NotificationService, Senders, Template, enqueue, register_template
from store.engine import session_scope

__all__ = ["TEMPLATES", "AlertDelivery", "NotificationLogNotifier", "deliver_alerts"]

log = logging.getLogger("synchub.finance.notify")

TEMPLATES = {"overdue": "receivable_overdue", "not_invoiced": "receivable_not_invoiced"}


def _lines(c: Mapping[str, Any]) -> str:
    return (
        f"- 合同：{c.get('contract')}（{c.get('business_key')}）\n- 金额：{c.get('amount')}\n"
        f"- 到期日：{c.get('due_date')}\n- ERP 单号：{c.get('erp_number') or '-'}"
    )


register_template(
    Template(
        TEMPLATES["overdue"],
        lambda c: f"应收逾期 {c.get('days_overdue')} 天：{c.get('contract')}",
        lambda c: f"### 应收逾期 {c.get('days_overdue')} 天，未收 {c.get('open_amount')}\n{_lines(c)}",
        lambda c: {"contract": str(c.get("contract"))[:20], "days": str(c.get("days_overdue"))},
    )
)
register_template(
    Template(
        TEMPLATES["not_invoiced"],
        lambda c: f"超期未开票：{c.get('contract')}",
        lambda c: f"### 到期后超过 {c.get('days_late')} 天仍未开票\n{_lines(c)}",
        lambda c: {"contract": str(c.get("contract"))[:20]},
    )
)


class NotificationLogNotifier:
    """``recipients`` are people's keys; ``robots`` maps a key to its robot (default: the key itself)."""

    def __init__(
        self, engine: Engine, channel: str = "dingtalk", robots: Mapping[str, str] | None = None
    ) -> None:
        self.engine = engine
        self.channel = channel
        self.robots = dict(robots or {})

    def send(self, event: str, recipients: Sequence[str], payload: Mapping[str, Any]) -> None:
        template = TEMPLATES[event]
        with session_scope(self.engine) as s:
            for person in recipients:
                robot = self.robots.get(person, person)
                key = f"{template}:{payload.get('business_key')}:{payload.get('due_date')}:{person}"
                enqueue(s, template, self.channel, robot, {**payload, "recipient": person}, key=key)


@dataclass
class AlertDelivery:
    alerts: AlertReport
    channel: str  # the robot channel used, or "log" when it has no robot configured
    messages: DispatchReport | None = None

    def as_dict(self) -> dict[str, Any]:
        m = self.messages or DispatchReport()
        return {"raised": self.alerts.raised, "sent": self.alerts.sent, "failed": self.alerts.failed,
                "channel": self.channel, "messages_sent": m.sent + m.digests, "messages_waiting": m.waiting,
                "messages_failed": m.failed}  # fmt: skip


def deliver_alerts(
    engine: Engine, today: date, senders: Senders, settings: FinanceSettings | None = None
) -> AlertDelivery:
    """Raise today's alerts and get them to people: through the configured robot channel (owed in
    the notification log, then dispatched within the robots' limits), or, while that channel has no
    robot configured, into the log with a warning that nobody was told."""
    settings = settings or FinanceSettings()
    notifier: Notifier
    channel: str = settings.alert_channel
    if channel in senders.robots:
        notifier = NotificationLogNotifier(engine, channel, settings.alert_robots)
    else:
        notifier, channel = LoggingNotifier(), "log"
    alerts = run_alerts(engine, notifier, today, settings=settings)
    if channel == "log":
        if alerts.sent:
            log.warning(
                "%d finance alert(s) only logged: no %s robot configured (SYNCHUB_%s_ROBOTS)",
                alerts.sent, settings.alert_channel, settings.alert_channel.upper(),
            )  # fmt: skip
        return AlertDelivery(alerts, channel)
    return AlertDelivery(alerts, channel, NotificationService(engine, senders).dispatch())
