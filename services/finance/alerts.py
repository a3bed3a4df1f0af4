"""Finance alerts: receivables not invoiced in time and receivables overdue (with the days overdue),
to the owning salesperson and finance, once per event.

:func:`scan_alerts` records each new event as a :class:`~core.models.finance_ext.FinanceAlert` (unique
``event_key``: an installment not invoiced, an installment overdue since its due date), so a later
run finds it and raises nothing new. :func:`send_pending` hands pending alerts to a
:class:`Notifier` and marks them sent; a failed send is retried by later runs up to a limit. Both
take the date / time as arguments, so tests run them on a frozen clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.redaction import get_logger, redact_text
from core.models import Contract, ReceivableInstallment, utcnow
from core.models.finance_ext import FinanceAlert
from mapping.timestamps import china_today
from services.finance.overdue import installment_days_overdue
from services.finance.settings import FinanceSettings
from services.finance.status import OPEN_STATUSES
from store.engine import session_scope

__all__ = ["AlertReport", "LoggingNotifier", "Notifier", "run_alerts", "scan_alerts", "send_pending"]

logger = get_logger("synchub.finance.alerts")


class Notifier(Protocol):
    """What the notification layer (DingTalk / WeCom, services/notify) offers finance alerts."""

    def send(self, event: str, recipients: Sequence[str], payload: Mapping[str, Any]) -> None: ...


class LoggingNotifier:
    """Logs each alert (no personal data: recipient count, contract and installment only)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str], dict[str, Any]]] = []

    def send(self, event: str, recipients: Sequence[str], payload: Mapping[str, Any]) -> None:
        self.sent.append((event, list(recipients), dict(payload)))
        logger.info(
            "%s alert for %s to %d recipient(s): %s",
            event,
            payload.get("business_key"),
            len(recipients),
            payload.get("summary"),
        )


@dataclass
class AlertReport:
    raised: int = 0
    sent: int = 0
    failed: int = 0


def _events(
    inst: ReceivableInstallment, contract: Contract, today: date, days: int
) -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    base = {
        "contract": contract.number,
        "business_key": inst.business_key,
        "amount": str(inst.amount),
        "due_date": inst.due_date.isoformat(),
        "erp_number": inst.erp_number,
    }
    late = (today - inst.due_date).days - days
    if inst.invoiced_amount < inst.amount and late > 0:
        summary = f"{inst.business_key} not invoiced {days + late} days after its due date {inst.due_date}"
        out.append(
            (
                "not_invoiced",
                f"not_invoiced:{inst.id}:{inst.due_date}",
                {**base, "invoiced": str(inst.invoiced_amount), "days_late": late, "summary": summary},
            )
        )
    if inst.status == "overdue":
        payload = _overdue_now({**base, "currency": contract.currency}, inst, today)
        out.append(("overdue", f"overdue:{inst.id}:{inst.due_date}", payload))
    return out


def _overdue_now(payload: dict[str, Any], inst: ReceivableInstallment, today: date) -> dict[str, Any]:
    """The overdue alert's days, open amount and summary as of ``today`` (days by
    ``services.finance.overdue``, the definition the console and the CLI use), so an alert sent days
    after it was raised says so."""
    days, open_amount = installment_days_overdue(inst, today), inst.amount - inst.paid_amount
    summary = f"{inst.business_key} overdue {days} days, {open_amount} {payload.get('currency', '')}".rstrip()
    return {**payload, "days_overdue": days, "open_amount": str(open_amount), "summary": f"{summary} open"}


def scan_alerts(engine: Engine, today: date, settings: FinanceSettings | None = None) -> int:
    """Record the alert events of ``today`` that were never raised before; how many are new."""
    settings = settings or FinanceSettings()
    raised = 0
    with session_scope(engine) as s:
        query = (
            select(ReceivableInstallment, Contract)
            .join(Contract, Contract.id == ReceivableInstallment.contract_id)
            .where(ReceivableInstallment.status.in_(OPEN_STATUSES), ReceivableInstallment.due_date < today)
            .order_by(ReceivableInstallment.id)
        )
        known = set(s.scalars(select(FinanceAlert.event_key)))
        for inst, contract in s.execute(query):
            for kind, key, payload in _events(inst, contract, today, settings.not_invoiced_days):
                if key in known:
                    continue
                recipients = [r for r in (contract.owner, *settings.finance_recipients) if r]
                s.add(
                    FinanceAlert(
                        event_key=key,
                        kind=kind,
                        installment_id=inst.id,
                        contract_number=contract.number,
                        recipients=list(dict.fromkeys(recipients)),
                        payload=payload,
                    )
                )
                known.add(key)
                raised += 1
    return raised


def send_pending(
    engine: Engine,
    notifier: Notifier,
    now: datetime | None = None,
    settings: FinanceSettings | None = None,
    today: date | None = None,
) -> AlertReport:
    """Send every pending (or earlier failed) alert once; mark each sent or failed. An overdue alert's
    days are counted at sending, on ``today`` (default: Beijing's date at ``now``)."""
    settings = settings or FinanceSettings()
    day = today or china_today(now)
    report = AlertReport()
    with session_scope(engine) as s:
        ids = list(
            s.scalars(
                select(FinanceAlert.id)
                .where(
                    FinanceAlert.status.in_(("pending", "failed")),
                    FinanceAlert.attempts < settings.alert_send_attempts,
                )
                .order_by(FinanceAlert.id)
            )
        )
    for alert_id in ids:  # no transaction is held while the notifier works (it may use the store)
        with session_scope(engine) as s:
            alert = s.get_one(FinanceAlert, alert_id)
            alert.attempts += 1
            kind, recipients, payload = alert.kind, list(alert.recipients), dict(alert.payload)
            if kind == "overdue":
                inst = s.get_one(ReceivableInstallment, alert.installment_id)
                payload = alert.payload = _overdue_now(payload, inst, day)
        error: str | None = None
        sent_at: datetime | None = None
        try:
            notifier.send(kind, recipients, payload)
        except Exception as exc:  # the notifier's own errors: keep the alert for a later run
            error = redact_text(f"{type(exc).__name__}: {exc}")[:500]
            status, sent_at, report.failed = "failed", None, report.failed + 1
        else:
            error, status, sent_at, report.sent = None, "sent", now or utcnow(), report.sent + 1
        with session_scope(engine) as s:
            alert = s.get_one(FinanceAlert, alert_id)
            alert.status, alert.sent_at, alert.last_error = status, sent_at, error
    return report


def run_alerts(
    engine: Engine,
    notifier: Notifier,
    today: date,
    now: datetime | None = None,
    settings: FinanceSettings | None = None,
) -> AlertReport:
    raised = scan_alerts(engine, today, settings)
    report = send_pending(engine, notifier, now, settings, today)
    report.raised = raised
    return report
