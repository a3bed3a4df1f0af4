"""A receipt pulled from the ERP wins the lead its contract names when that lead is still open (issue
20: stage changes come from the ERP pull too, in the ledger). Contracts signed through the hub win their
lead at intake already; this is for the ones that did not: rows recorded before stages were kept, or a
lead linked to its contract afterwards."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.context import audit_context
from audit.models import AuditLog
from core.models import Contract, Lead, Source
from services.finance.push import push_once
from services.finance.reconcile import reconcile
from services.finance.settings import FinanceSettings
from store.engine import session_scope

from .conftest import Erp, installments, sign
from .test_reconcile_alerts import gateway_for, settle


def _lead_linked_after_signing(engine: Engine, number: str, stage: str) -> int:
    sign(engine, number, erp="kingdee")
    with audit_context(actor="test:stage"), session_scope(engine) as s:
        source = s.scalars(select(Source).where(Source.name == "stage-test")).first()
        if source is None:
            source = Source(name="stage-test", kind="webform")
            s.add(source)
            s.flush()
        lead = Lead(source_id=source.id, external_id=number, company="客户", stage=stage)
        s.add(lead)
        s.flush()
        s.scalars(select(Contract).where(Contract.number == number)).one().lead_id = lead.id
        return lead.id


def _stage_events(engine: Engine, lead_id: int) -> list[dict[str, object]]:
    with session_scope(engine) as s:
        rows = s.scalars(
            select(AuditLog.changes).where(
                AuditLog.entity_type == "lead", AuditLog.entity_id == str(lead_id), AuditLog.action == "stage"
            )
        ).all()
    return [json.loads(text)["event"] for text in rows]


def test_a_receipt_from_the_erp_wins_the_open_lead_of_its_contract_once(store: Engine, erp: Erp) -> None:
    open_lead = _lead_linked_after_signing(store, "HT-S1", "proposal")
    lost_lead = _lead_linked_after_signing(store, "HT-S2", "lost")
    gateway = gateway_for("kingdee", erp)
    try:
        push_once(store, {"kingdee": gateway}, worker="w", settings=FinanceSettings())
        bills = installments(store)
        settle(erp, "kingdee", "invoice", bills["HT-S1#1"].erp_number or "", "1.00", "2026-11-24", "INV-S1")
        assert reconcile(store, gateway, date(2026, 11, 25)).invoices == 1
        assert _stage_events(store, open_lead) == []  # an invoice is no payment
        for n in (1, 2):
            bill = bills[f"HT-S{n}#1"].erp_number or ""
            settle(erp, "kingdee", "receipt", bill, "1000.00", "2026-11-24", f"SK-S{n}")
        reconcile(store, gateway, date(2026, 11, 25))
        reconcile(store, gateway, date(2026, 11, 26))  # the same receipts again: nothing new
    finally:
        gateway.close()
    with session_scope(store) as s:
        assert s.get_one(Lead, open_lead).stage == "won"
        assert s.get_one(Lead, lost_lead).stage == "lost"  # a closed lead stays closed
    (event,) = _stage_events(store, open_lead)
    assert (event["from"], event["to"], event["by"]) == ("proposal", "won", "erp:kingdee")
    assert _stage_events(store, lost_lead) == []
