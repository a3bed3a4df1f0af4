"""The funnel counts what happened (issue 20): stages recorded in the ledger, contracts naming a lead or
its (merged) customer, payments of those contracts; the SLA box lists every lead it counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.engine import Engine

from audit.context import audit_context
from core.models import Contract, Customer, Lead, Payment, ReceivableInstallment, Source
from hub.web.data.leads import funnel, sla_breaches
from store.engine import session_scope

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _lead(s: object, source: Source, i: int, **kw: object) -> Lead:
    lead = Lead(source_id=source.id, external_id=f"f-{i}", contact_name="王", company=f"公司{i}", **kw)
    s.add(lead)  # type: ignore[attr-defined]
    return lead


def _journey(engine: Engine) -> dict[str, int]:
    """Eight leads: one untouched, one contacted, one qualified then lost, one at proposal, one closed by a
    contract naming it, one whose merged customer signed (paid), one whose customer signed a contract
    that names another lead, one whose contract was cancelled."""
    with audit_context(actor="test:funnel"), session_scope(engine) as s:
        src = Source(name="ads", kind="ad_platform")
        golden, merged, other = Customer(name="甲公司"), Customer(name="甲"), Customer(name="乙公司")
        s.add_all([src, golden, merged, other])
        s.flush()
        merged.status, merged.merged_into_id = "merged", golden.id
        seen = NOW - timedelta(hours=1)
        leads = [
            _lead(s, src, 0),
            _lead(s, src, 1, stage="contacted", first_contact_at=seen),
            _lead(s, src, 2, stage="qualified", first_contact_at=seen),
            _lead(s, src, 3, stage="proposal", first_contact_at=seen),
            _lead(s, src, 4, stage="contacted", first_contact_at=seen),
            _lead(s, src, 5, stage="contacted", first_contact_at=seen, customer_id=merged.id),
            _lead(s, src, 6, stage="contacted", first_contact_at=seen, customer_id=other.id),
            _lead(s, src, 7, stage="contacted", first_contact_at=seen),
        ]
        s.flush()
    with audit_context(actor="test:funnel"), session_scope(engine) as s:
        s.get_one(Lead, leads[2].id).stage = "lost"  # qualified is in the ledger, lost is current
        paid = Contract(number="C-1", customer_id=golden.id, amount=Decimal(100), signed_at=NOW)
        named = Contract(
            number="C-2", customer_id=other.id, lead_id=leads[4].id, amount=Decimal(9), signed_at=NOW
        )
        gone = Contract(number="C-3", customer_id=other.id, lead_id=leads[7].id, amount=Decimal(9),
                        signed_at=NOW, status="cancelled")  # fmt: skip
        s.add_all([paid, named, gone])
        s.flush()
        inst = ReceivableInstallment(contract_id=paid.id, installment_no=1, business_key="C-1#1",
                                     amount=Decimal(100), due_date=NOW.date())  # fmt: skip
        s.add(inst)
        s.flush()
        s.add(Payment(contract_id=paid.id, installment_id=inst.id, erp_system="kingdee", erp_id="P1",
                      amount=Decimal(50), paid_at=NOW))  # fmt: skip
    return {f"lead{i}": lead.id for i, lead in enumerate(leads)}


def test_funnel_counts_recorded_stages_contracts_and_payments(store: Engine) -> None:
    _journey(store)
    report = funnel(store, None)
    # lead 8; contacted 7 (all but #0); qualified: #2 (recorded), #3, #4, #5; proposal: #3, #4, #5;
    # contract: #4 (named), #5 (its merged customer signed); payment: #5. #6's customer signed nothing
    # of its own (C-2 names lead #4); #7's contract was cancelled.
    assert report.total.counts == [8, 7, 4, 3, 2, 1]
    assert report.stages == ["线索", "首次联系", "需求确认", "方案报价", "签约", "回款"]


def test_a_paid_installment_counts_as_payment_without_a_receipt_row(store: Engine) -> None:
    with audit_context(actor="test:funnel"), session_scope(store) as s:
        src, customer = Source(name="form", kind="webform"), Customer(name="丙公司")
        s.add_all([src, customer])
        s.flush()
        lead = _lead(s, src, 0, stage="contacted", first_contact_at=NOW, customer_id=customer.id)
        s.flush()
        contract = Contract(number="C-9", customer_id=customer.id, amount=Decimal(10), signed_at=NOW)
        s.add(contract)
        s.flush()
        s.add(ReceivableInstallment(contract_id=contract.id, installment_no=1, business_key="C-9#1",
                                    amount=Decimal(10), due_date=NOW.date(), status="paid",
                                    paid_amount=Decimal(10)))  # fmt: skip
        assert lead.id
    assert funnel(store, None).total.counts == [1, 1, 1, 1, 1, 1]


def test_sla_box_lists_every_lead_it_counts(store: Engine) -> None:
    """An escalation that reassigned a lead gives it a fresh deadline: it is no longer waiting, but
    the box still counts it as escalated, so it must be in the table too."""
    due = NOW - timedelta(hours=1)
    with audit_context(actor="test:sla"), session_scope(store) as s:
        src = Source(name="ads", kind="ad_platform")
        s.add(src)
        s.flush()
        _lead(s, src, 0, stage="assigned", sla_due_at=due)  # waiting
        _lead(
            s, src, 1, stage="assigned", sla_due_at=NOW + timedelta(hours=2), escalated_at=due
        )  # reassigned
        _lead(s, src, 2, stage="assigned", sla_due_at=due, escalated_at=due)  # escalated, still waiting
        _lead(s, src, 3, stage="contacted", sla_due_at=due, first_contact_at=NOW)  # late contact
        _lead(s, src, 4, stage="contacted", sla_due_at=NOW, first_contact_at=due)  # on time: not listed
    report = sla_breaches(store, 50, None, now=NOW)
    assert (report.open, report.escalated, report.late_contacts, report.total) == (2, 2, 1, 4)
    assert len(report.items) == report.total
    assert sum(b.waiting for b in report.items) == report.open
    assert sum(b.escalated for b in report.items) == report.escalated
    assert sum(b.late_contact for b in report.items) == report.late_contacts
    assert [b.company for b in report.items][:2] == ["公司0", "公司2"] or [b.company for b in report.items][
        :2
    ] == ["公司2", "公司0"]
    late = next(b for b in report.items if b.late_contact)
    assert late.overdue_s == 3600
    limited = sla_breaches(store, 1, None, now=NOW)
    assert limited.total == 4 and len(limited.items) == 1 and limited.items[0].waiting
