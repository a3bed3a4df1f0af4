"""Contract intake: schedules from payment terms, validation with clear errors, one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from core.models import Contract, Customer, OutboxMessage, ReceivableInstallment
from services.finance.intake import ContractConflict, ContractInvalid, sign_contract
from services.finance.terms import TermsError, build_schedule, parse_terms_text
from store.engine import session_scope

from .conftest import contract, sign

D = Decimal


def test_percent_terms_round_to_the_fen_and_the_last_takes_the_remainder() -> None:
    schedule = build_schedule(
        {"installments": [30, 30, 40], "interval_days": 90}, D("100000.01"), date(2026, 11, 20)
    )
    assert [s.amount for s in schedule] == [D("30000.00"), D("30000.00"), D("40000.01")]
    assert [s.due_date for s in schedule] == [date(2026, 11, 20), date(2027, 2, 18), date(2027, 5, 19)]
    assert sum(s.amount for s in build_schedule([33.33, 33.33, 33.34], D("1000"), date(2026, 1, 1))) == D(
        "1000"
    )


def test_amount_terms_and_the_spreadsheet_text_form() -> None:
    terms = {
        "installments": [{"amount": "100", "due_date": "2026-12-31"}, {"amount": "50.50", "due_days": 60}]
    }
    schedule = build_schedule(terms, D("150.50"), date(2026, 11, 1))
    assert [(s.amount, s.due_date) for s in schedule] == [
        (D("100"), date(2026, 12, 31)),
        (D("50.50"), date(2026, 12, 31)),
    ]
    assert parse_terms_text("30@0, 70@90") == {
        "installments": [{"percent": "30", "due_days": 0}, {"percent": "70", "due_days": 90}]
    }
    assert parse_terms_text("30%/70%", "0/60")["installments"][1] == {"percent": "70", "due_days": 60}


@pytest.mark.parametrize(
    ("terms", "amount", "message"),
    [
        ({"installments": [30, 60]}, "100", "percentages add up to 90, not 100"),
        ({"installments": [{"amount": "60"}, {"amount": "30"}]}, "100", "add up to 90, not the amount 100"),
        ({"installments": [{"percent": 50}, {"amount": "50"}]}, "100", "not both"),
        (
            {"installments": [{"percent": 50, "due_days": -3}, {"percent": 50}]},
            "100",
            "installments[0].due_days",
        ),
        ({"installments": [{"percent": "x"}]}, "100", "installments[0].percent: 'x' is not a number"),
        ({"installments": [{"amount": "100", "due_date": "2026-01-01"}]}, "100", "before the signing date"),
        ({"installments": []}, "100", "non-empty list"),
        ({"installments": [50, 50], "interval_days": -1}, "100", "whole days"),
        ("30@x", "100", "cannot read"),
    ],
)
def test_bad_terms_say_what_is_wrong(terms: Any, amount: str, message: str) -> None:
    with pytest.raises(TermsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_schedule(terms, D(amount), date(2026, 11, 1))


def test_a_contract_its_installments_and_outbox_commit_together_and_reach_the_ledger(store: Engine) -> None:
    result = sign(store, "HT-I1", amount="600000", payment_terms="30@0, 70@90", owner="wang.wu")
    assert result.status == "created" and [i["amount"] for i in result.installments] == [
        "180000.00",
        "420000.00",
    ]
    with session_scope(store) as s:
        c = s.scalars(select(Contract)).one()
        assert (c.number, c.amount, c.tax_rate, c.owner) == ("HT-I1", D("600000.00"), D("0.13"), "wang.wu")
        insts = s.scalars(select(ReceivableInstallment).order_by(ReceivableInstallment.installment_no)).all()
        assert [(i.business_key, i.status, i.due_date) for i in insts] == [
            ("HT-I1#1", "scheduled", date(2026, 11, 20)),
            ("HT-I1#2", "scheduled", date(2027, 2, 18)),
        ]
        messages = s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [(m.business_key, m.status, m.topic) for m in messages] == [
            ("kingdee:HT-I1#1", "pending", "erp.receivable.push"),
            ("kingdee:HT-I1#2", "pending", "erp.receivable.push"),
        ]
        ledger = s.execute(
            select(AuditLog.entity_type, AuditLog.action, AuditLog.actor, AuditLog.correlation_id)
        ).all()
    kinds = {(e, a) for e, a, _, _ in ledger}
    assert {
        ("contract", "insert"),
        ("receivable_installment", "insert"),
        ("outbox_message", "insert"),
        ("customer", "insert"),
        ("contract", "contract_signed"),
    } <= kinds
    assert {actor for _, _, actor, _ in ledger} == {"api:test"} and {c for *_, c in ledger} == {
        "contract:HT-I1"
    }


def test_the_same_contract_again_is_unchanged_and_different_terms_are_a_conflict(store: Engine) -> None:
    sign(store, "HT-I2")
    assert sign(store, "HT-I2").status == "unchanged"
    with pytest.raises(ContractConflict, match="HT-I2 exists with different"):
        sign(store, "HT-I2", amount="300000.01")
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_invalid_contracts_list_every_problem_and_store_nothing(store: Engine) -> None:
    bad = contract(
        "HT I3", amount=1.005, currency="XYZ", tax_rate="12%", customer={"uscc": "91330100MA27XXXX1X"}
    )
    with pytest.raises(ContractInvalid) as caught:
        sign_contract(store, bad, actor="api:test")
    assert caught.value.problems == ["number: 1 to 40 characters, no spaces, quotes, % ; or backslash"]
    bad["number"] = "HT-I3"
    with pytest.raises(ContractInvalid) as caught:
        sign_contract(store, bad, actor="api:test")
    text = "; ".join(caught.value.problems)
    for expected in (
        "amount: at most 2 decimals",
        "currency: XYZ is not mapped for kingdee",
        "tax_rate: 0.12 is not a VAT rate",
        "customer.uscc",
    ):
        assert expected in text
    with pytest.raises(ContractInvalid, match="give the customer's id"):
        sign_contract(store, contract("HT-I4", customer={}), actor="api:test")
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 0


def test_a_failure_inside_the_transaction_leaves_no_contract_behind(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}

    def enqueue_then_fail(session: Any, installment: Any, system: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("crash between two outbox rows")
        from services.finance.outbox import enqueue_receivable

        enqueue_receivable(session, installment, system)

    monkeypatch.setattr("services.finance.intake.enqueue_receivable", enqueue_then_fail)
    with pytest.raises(RuntimeError):
        sign(store, "HT-I5")
    with session_scope(store) as s:
        counts = [
            s.scalar(select(func.count()).select_from(m))
            for m in (Contract, ReceivableInstallment, OutboxMessage)
        ]
    assert counts == [0, 0, 0]


def test_customers_are_matched_by_uscc_then_by_name(store: Engine) -> None:
    uscc = "91330106MA2GL8RM01"
    sign(store, "HT-I6", customer={"name": "杭州智联医疗器械有限公司", "uscc": uscc})
    sign(store, "HT-I7", customer={"name": "智联医疗(杭州)", "uscc": uscc})
    sign(store, "HT-I8", customer={"name": "杭州智联医疗器械有限公司"})
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
        assert len({c.customer_id for c in s.scalars(select(Contract))}) == 1
