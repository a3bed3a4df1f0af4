"""The notification service: messages are written to ``notification_log`` in the business transaction
(an outbox), then :meth:`NotificationService.dispatch` sends them after the commit.

Limits are kept from the log itself, so they hold across runs and processes: a robot gets at most
``per_minute`` messages in any 60 seconds; when more are waiting, all but the last free slot go one by
one and the rest are folded into **one digest** in that slot; with no slot free they wait (status
``folded``) for the next dispatch. An SMS number gets at most the provider's per-minute, per-hour and
per-day counts; several messages waiting for one number go as one digest SMS. A throttled reply from
the vendor folds the message; it is never retried in a loop, and nothing is dropped: every folded row
ends up pointing at the digest that carried it (``digest_id``). When the vendor says how long it
blocks a throttled robot (DingTalk: 10 minutes), nothing goes to that robot before then
(``not_before`` on the throttled row), so the block is not prolonged by our own retries.

A message owed with ``hold=True`` (status ``held``: a repeat of something already said, such as the
second failure of a job) is never sent alone: once the oldest held message of a robot is
``HOLD_SECONDS`` old, all its held messages go together as one digest, in a free slot.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.errors import SyncHubError
from core.metrics import NOTIFICATIONS
from core.models import utcnow
from core.models.routing import NotificationLog
from core.redact import mask_phone
from services.notify.channels import RobotSender, Senders
from services.notify.templates import get_template
from store.engine import session_scope

__all__ = ["DispatchReport", "NotificationService", "enqueue"]

log = logging.getLogger("synchub.notify")
WAITING = ("pending", "folded")
HELD = "held"
HOLD_SECONDS = 1800


@dataclass
class DispatchReport:
    sent: int = 0
    digests: int = 0
    folded: int = 0  # carried by a digest this time
    waiting: int = 0  # left for a later dispatch (limit reached)
    failed: int = 0


def enqueue(
    session: Session,
    event: str,
    channel: str,
    target: str,
    context: dict[str, object],
    *,
    lead_id: int | None = None,
    recipient: str | None = None,
    key: str | None = None,
    hold: bool = False,
) -> NotificationLog | None:
    """Owe one message (idempotent on its business key); None when it was already owed. ``hold``: send
    it only inside a digest (robots only; see the module docstring)."""
    template = get_template(event)
    shown = mask_phone(recipient) if recipient else target
    business_key = (key or f"{event}:{lead_id}:{channel}:{shown}")[:200]
    if _owed(session, business_key):
        return None
    body = (
        json.dumps(template.sms(context), ensure_ascii=False)
        if channel == "sms"
        else template.markdown(context)
    )
    row = NotificationLog(
        business_key=business_key,
        channel=channel,
        target=shown[:100],
        recipient=recipient,
        event=event,
        lead_id=lead_id,
        status=HELD if hold and channel != "sms" else "pending",
        title=template.title(context)[:200],
        body=body,
    )
    session.add(row)
    return row


def _owed(session: Session, business_key: str) -> bool:
    """Already owed: stored, or added in this session and not flushed yet. Without autoflush: routing
    owes a message per lead, and a flush per message cost a ledger append per lead (a third of routing's
    time); the batch's changes are flushed together instead."""
    if any(isinstance(o, NotificationLog) and o.business_key == business_key for o in session.new):
        return True
    with session.no_autoflush:
        query = select(NotificationLog.id).where(NotificationLog.business_key == business_key)
        return session.scalars(query).first() is not None


class NotificationService:
    def __init__(self, engine: Engine, senders: Senders, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.senders = senders
        self.clock = clock

    def _count_sent(self, session: Session, channel: str, since: datetime, **match: str | None) -> int:
        query = select(func.count()).where(
            NotificationLog.channel == channel,
            NotificationLog.status == "sent",
            NotificationLog.sent_at > since,
        )
        for column, value in match.items():
            query = query.where(getattr(NotificationLog, column) == value)
        return int(session.scalar(query) or 0)

    def dispatch(self) -> DispatchReport:
        """Send what is owed, within every limit; returns what happened."""
        report = DispatchReport()
        with session_scope(self.engine) as session:
            rows = session.scalars(
                select(NotificationLog)
                .where(NotificationLog.status.in_((*WAITING, HELD)))
                .order_by(NotificationLog.id)
            ).all()
            groups: dict[tuple[str, str], list[NotificationLog]] = defaultdict(list)
            held: dict[tuple[str, str], list[NotificationLog]] = defaultdict(list)
            for row in rows:
                if row.status == HELD:
                    held[(row.channel, row.target)].append(row)
                else:
                    groups[(row.channel, row.recipient or row.target)].append(row)
            for (channel, _), items in groups.items():
                if channel == "sms":
                    self._sms(session, items, report)
                else:
                    self._robot(session, channel, items, report)
            for (channel, _), items in held.items():
                self._held(session, channel, items, report)
        return report

    def _blocked(self, session: Session, channel: str, target: str) -> bool:
        """True while the vendor blocks this robot after a throttled send."""
        until = session.scalar(
            select(func.max(NotificationLog.not_before)).where(
                NotificationLog.channel == channel, NotificationLog.target == target
            )
        )
        return until is not None and until > self.clock()

    def _deliver(
        self, row: NotificationLog, send: Callable[[], str], sender: RobotSender | None = None
    ) -> str:
        try:
            outcome = send()
        except SyncHubError as exc:
            row.status, row.error = "failed", str(exc)[:2000]
            log.error("notification %s to %s failed: %s", row.business_key, row.target, exc)
            NOTIFICATIONS.labels(row.channel, "failed").inc()
            return "failed"
        NOTIFICATIONS.labels(row.channel, outcome).inc()
        if outcome == "sent":
            row.status, row.sent_at = "sent", self.clock()
        elif outcome == "throttled":
            row.status = "folded"
            if sender is not None and sender.last_wait:
                row.not_before = self.clock() + timedelta(seconds=sender.last_wait)
        else:
            row.status, row.error = "failed", f"the {row.channel} provider refused this recipient"
        return outcome

    def _digest(
        self, session: Session, first: NotificationLog, items: list[NotificationLog]
    ) -> NotificationLog:
        context: dict[str, object] = {"count": len(items), "titles": [i.title for i in items]}
        template = get_template("digest")
        body = json.dumps(template.sms(context)) if first.channel == "sms" else template.markdown(context)
        digest = NotificationLog(
            business_key=f"digest:{first.channel}:{first.target}:{items[0].id}:{self.clock().isoformat()}",
            channel=first.channel,
            target=first.target,
            recipient=first.recipient,
            event="digest",
            status="pending",
            title=template.title(context),
            body=body,
        )
        session.add(digest)
        session.flush()
        return digest

    def _carry(
        self,
        digest: NotificationLog,
        items: list[NotificationLog],
        report: DispatchReport,
        waiting: str = "folded",
    ) -> None:
        if digest.status == "sent":
            report.digests += 1
            for item in items:
                item.status, item.digest_id, item.sent_at = "digested", digest.id, digest.sent_at
            report.folded += len(items)
        else:
            for item in items:
                item.status = waiting
            report.waiting += len(items)

    def _held(
        self, session: Session, channel: str, items: list[NotificationLog], report: DispatchReport
    ) -> None:
        """Held messages of one robot: one digest once the oldest is ``HOLD_SECONDS`` old."""
        sender = self.senders.robots.get(channel)
        due = items[0].created_at <= self.clock() - timedelta(seconds=HOLD_SECONDS)
        if sender is None or not due or self._blocked(session, channel, items[0].target):
            report.waiting += len(items)
            return
        since = self.clock() - timedelta(seconds=60)
        if self._count_sent(session, channel, since, target=items[0].target) >= sender.per_minute:
            report.waiting += len(items)
            return
        digest = self._digest(session, items[0], items)
        self._deliver(digest, lambda: sender.send(digest.target, digest.title, digest.body), sender)
        self._carry(digest, items, report, waiting=HELD)

    def _robot(
        self, session: Session, channel: str, items: list[NotificationLog], report: DispatchReport
    ) -> None:
        sender = self.senders.robots.get(channel)
        if sender is None:
            for item in items:
                item.status, item.error = "failed", f"no {channel} robot configured"
            report.failed += len(items)
            return
        if self._blocked(session, channel, items[0].target):
            for item in items:
                item.status = "folded"
            report.waiting += len(items)
            return
        free = sender.per_minute - self._count_sent(
            session, channel, self.clock() - timedelta(seconds=60), target=items[0].target
        )
        single = items if len(items) <= free else items[: max(free - 1, 0)]
        for index, item in enumerate(single):
            outcome = self._deliver(item, _robot_send(sender, item), sender)
            report.sent += outcome == "sent"
            report.failed += outcome == "failed"
            if outcome == "throttled":
                rest = items[index + 1 :]
                for other in rest:
                    other.status = "folded"
                report.waiting += len(rest) + 1
                return
        rest = items[len(single) :]
        if not rest:
            return
        if free < 1:
            for item in rest:
                item.status = "folded"
            report.waiting += len(rest)
            return
        digest = self._digest(session, rest[0], rest)
        self._deliver(digest, lambda: sender.send(digest.target, digest.title, digest.body), sender)
        self._carry(digest, rest, report)

    def _sms(self, session: Session, items: list[NotificationLog], report: DispatchReport) -> None:
        sender = self.senders.sms
        if sender is None or not items[0].recipient:
            for item in items:
                item.status, item.error = "failed", "no SMS provider configured or no number"
            report.failed += len(items)
            return
        now, phone = self.clock(), items[0].recipient
        windows = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))
        for limit, window in zip(sender.limits, windows, strict=True):
            if self._count_sent(session, "sms", now - window, recipient=phone) >= limit:
                for item in items:
                    item.status = "folded"
                report.waiting += len(items)
                return
        if len(items) == 1:
            item = items[0]
            outcome = self._deliver(item, lambda: sender.send(phone, item.event, json.loads(item.body)))
            report.sent += outcome == "sent"
            report.failed += outcome == "failed"
            report.waiting += outcome == "throttled"
            return
        digest = self._digest(session, items[0], items)
        self._deliver(digest, lambda: sender.send(phone, "digest", json.loads(digest.body)))
        self._carry(digest, items, report)


def _robot_send(sender: RobotSender, item: NotificationLog) -> Callable[[], str]:
    return lambda: sender.send(item.target, item.title, item.body)
