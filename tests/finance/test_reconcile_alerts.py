"""Payments, write-offs and invoices flow back; statuses follow; alerts fire once per event on a
frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.kingdee import KingdeeGateway
from connectors.sandbox.kingdee import sandbox_settings as kingdee_sandbox
from connectors.sandbox.yonyou import sandbox_settings as yonyou_sandbox
from connectors.yonyou import yonyou_gateway
from core.models import Invoice, Payment
from core.models.finance_ext import FinanceAlert
from mapping.erp.codes import load_erp_codes
from services.finance.alerts import LoggingNotifier, run_alerts
from services.finance.push import push_once
from services.finance.reconcile import reconcile
from services.finance.settings import FinanceSettings
from store.engine import session_scope

from .conftest import Erp, installments, sign

FROZEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def gateway_for(system: str, erp: Erp) -> Any:
    if system == "kingdee":
        return KingdeeGateway(kingdee_sandbox(erp.base_url), load_erp_codes("kingdee"))
    return yonyou_gateway(yonyou_sandbox(erp.base_url, "u8"), load_erp_codes("yonyou"))


def settle(erp: Erp, system: str, kind: str, bill: str, amount: str, on: str, number: str) -> None:
    ident = erp.state.next_id()
    if system == "kingdee":
        form = {"receipt": "AR_RECEIVEBILL", "write_off": "AR_BADDEBTLOSS", "invoice": "IV_SALESIC"}[kind]
        field = {"receipt": "FREALRECAMOUNTFOR", "write_off": "FAMOUNTFOR", "invoice": "FALLAMOUNTFOR"}[kind]
        row = {
            "FID": ident,
            "FBillNo": number,
            "FDATE": f"{on}T00:00:00",
            field: float(amount),
            "FSRCBILLNO": bill,
        }
    else:
        form = kind
        row = {
            "id": ident,
            "code": number,
            "vouchdate": on,
            "amount": amount,
            "src_code": bill,
            "invoice_type": "special",
            "ts": erp.state.clock().replace("T", " "),
        }
    erp.state.add(system, form, row)


@pytest.mark.parametrize("system", ["kingdee", "yonyou"])
def test_payments_invoices_write_offs_flow_back_and_move_the_status(
    store: Engine, erp: Erp, system: str
) -> None:
    sign(store, "HT-R1", erp=system)
    gateway = gateway_for(system, erp)
    try:
        assert push_once(store, {system: gateway}, worker="w", settings=FinanceSettings()).outcomes == {
            "created": 2
        }
        first, second = (installments(store)[f"HT-R1#{n}"] for n in (1, 2))
        today = date(2026, 11, 25)  # installment 1 due 2026-11-20, installment 2 due 2027-02-18
        settle(erp, system, "invoice", second.erp_number or "", "150000.00", "2026-11-24", "INV-2")
        settle(erp, system, "receipt", first.erp_number or "", "100000.00", "2026-11-24", "SK-1")
        report = reconcile(store, gateway, today)
        assert (report.settlements, report.invoices) == (1, 1)
        now = installments(store)
        assert now["HT-R1#1"].status == "overdue" and now["HT-R1#1"].paid_amount == Decimal("100000.00")
        assert now["HT-R1#2"].status == "invoiced" and now["HT-R1#2"].invoiced_amount == Decimal("150000.00")
        assert reconcile(store, gateway, today).settlements == 0  # nothing new: cursors moved on
        settle(erp, system, "write_off", first.erp_number or "", "50000.00", "2026-11-26", "HX-1")
        settle(erp, system, "receipt", second.erp_number or "", "150000.00", "2026-11-26", "SK-2")
        reconcile(store, gateway, date(2026, 11, 27))
    finally:
        gateway.close()
    final = installments(store)
    assert (final["HT-R1#1"].status, final["HT-R1#2"].status) == ("written_off", "paid")
    with session_scope(store) as s:
        kinds = sorted(p.kind for p in s.scalars(select(Payment)))
        assert kinds == ["receipt", "receipt", "write_off"]
        assert [i.number for i in s.scalars(select(Invoice))] == ["INV-2"]
        changes = s.scalars(
            select(AuditLog.changes).where(
                AuditLog.entity_type == "receivable_installment", AuditLog.action == "update"
            )
        ).all()
    assert any('"status":"written_off"' in c for c in changes) and any(
        '"status":"paid"' in c for c in changes
    )


def test_alerts_fire_once_per_event_on_a_frozen_clock(store: Engine, erp: Erp) -> None:
    sign(store, "HT-A1", owner="li.si")
    gateway = gateway_for("kingdee", erp)
    try:
        push_once(store, {"kingdee": gateway}, worker="w", settings=FinanceSettings())
        notifier = LoggingNotifier()
        settings = FinanceSettings(finance_recipients=["finance-team"])
        early = reconcile(store, gateway, date(2026, 11, 25))  # 5 days past due: overdue, invoicing not late
        assert early.status_changes == 1
        first = run_alerts(store, notifier, date(2026, 11, 25), FROZEN, settings)
        assert (first.raised, first.sent) == (1, 1)
        assert notifier.sent[0][0] == "overdue" and notifier.sent[0][2]["days_overdue"] == 5
        assert notifier.sent[0][1] == ["li.si", "finance-team"]
        for day in (25, 26, 27):  # the same day again, then two more days: nothing new
            reconcile(store, gateway, date(2026, 11, day))
            again = run_alerts(store, notifier, date(2026, 11, day), FROZEN, settings)
            assert (again.raised, again.sent) == (0, 0)
        late = run_alerts(store, notifier, date(2026, 11, 28), FROZEN, settings)  # 8 days > 7: not invoiced
        assert (late.raised, late.sent) == (1, 1)
        assert notifier.sent[1][0] == "not_invoiced" and notifier.sent[1][2]["days_late"] == 1
        assert run_alerts(store, notifier, date(2026, 12, 20), FROZEN, settings).raised == 0
    finally:
        gateway.close()
    assert len(notifier.sent) == 2
    with session_scope(store) as s:
        alerts = {a.kind: a.status for a in s.scalars(select(FinanceAlert))}
    assert alerts == {"overdue": "sent", "not_invoiced": "sent"}


class FlakyNotifier(LoggingNotifier):
    def __init__(self) -> None:
        super().__init__()
        self.fail = True

    def send(self, event: str, recipients: Any, payload: Any) -> None:
        if self.fail:
            raise ConnectionError("robot unreachable")
        super().send(event, recipients, payload)


def pushed_and_reconciled(store: Engine, erp: Erp, number: str, day: date, owner: str = "zhang.san") -> None:
    """A contract signed, its bills pushed to Kingdee and reconciled on ``day`` (overdue by then)."""
    sign(store, number, owner=owner)
    gateway = gateway_for("kingdee", erp)
    try:
        push_once(store, {"kingdee": gateway}, worker="w", settings=FinanceSettings())
        reconcile(store, gateway, day)
    finally:
        gateway.close()


def test_a_failed_send_is_retried_by_the_next_run_and_then_sent_once(store: Engine, erp: Erp) -> None:
    pushed_and_reconciled(store, erp, "HT-A2", date(2026, 11, 22))
    notifier = FlakyNotifier()
    assert run_alerts(store, notifier, date(2026, 11, 22), FROZEN).failed == 1
    notifier.fail = False
    assert run_alerts(store, notifier, date(2026, 11, 22), FROZEN).sent == 1
    assert run_alerts(store, notifier, date(2026, 11, 23), FROZEN).sent == 0
    assert len(notifier.sent) == 1


def test_alerts_reach_the_notification_log_once_per_recipient(store: Engine, erp: Erp) -> None:
    from core.models import NotificationLog
    from services.finance.notify import NotificationLogNotifier

    pushed_and_reconciled(store, erp, "HT-A3", date(2026, 11, 25), owner="li.si")
    notifier = NotificationLogNotifier(store, robots={"finance": "finance-group"})
    assert run_alerts(store, notifier, date(2026, 11, 25), FROZEN).sent == 1
    notifier.send("overdue", ["li.si", "finance"], {"business_key": "HT-A3#1", "due_date": "2026-11-20"})
    with session_scope(store) as s:
        rows = s.scalars(select(NotificationLog).order_by(NotificationLog.id)).all()
        assert [(r.event, r.channel, r.target) for r in rows] == [
            ("receivable_overdue", "dingtalk", "li.si"),
            ("receivable_overdue", "dingtalk", "finance-group"),
        ]
        assert rows[0].title == "应收逾期 5 天：HT-A3" and "HT-A3#1" in rows[0].body


def test_alerts_reach_the_owner_and_finance_robots(store: Engine, erp: Erp) -> None:
    from core.models import NotificationLog
    from hub.demo.senders import sandbox_senders
    from services.finance.notify import deliver_alerts
    from services.notify import Senders

    pushed_and_reconciled(store, erp, "HT-A4", date(2026, 11, 25), owner="li.si")
    settings = FinanceSettings(alert_robots={"finance": "fin-group"})
    unconfigured = deliver_alerts(store, date(2026, 11, 25), Senders(), settings)
    assert (unconfigured.channel, unconfigured.alerts.sent, unconfigured.messages) == ("log", 1, None)
    pushed_and_reconciled(store, erp, "HT-A5", date(2026, 11, 25), owner="li.si")
    senders = sandbox_senders(erp.base_url, ["li.si", "fin-group"])  # signed robots on the simulator
    try:
        done = deliver_alerts(store, date(2026, 11, 25), senders, settings)
        again = deliver_alerts(store, date(2026, 11, 25), senders, settings)
    finally:
        senders.close()
    assert done.channel == "dingtalk" and done.alerts.sent == 1 and done.as_dict()["messages_sent"] == 2
    assert again.alerts.raised == 0 and again.as_dict()["messages_sent"] == 0  # once per event
    with session_scope(store) as s:
        rows = s.scalars(select(NotificationLog).where(NotificationLog.status == "sent")).all()
        assert sorted(r.target for r in rows) == ["fin-group", "li.si"]
        assert all("HT-A5" in r.body for r in rows)
