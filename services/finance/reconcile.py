"""Reconcile: pull receipts, write-offs and invoices from the ERP, link them to installments by the
receivable's bill number, update the amounts and the status of every open installment (overdue
included) for ``today``. Idempotent: a record seen again is an upsert by its ERP id."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from audit.capture import record_event
from connectors.erp_gateway import ReceivableGateway
from connectors.incremental import CST
from core.models import Contract, Invoice, Lead, Payment, ReceivableInstallment
from mapping.erp.records import ErpInvoice, ErpSettlement
from services.finance.status import OPEN_STATUSES, Facts, InvalidTransition, derive_status, transition
from services.finance.sync import pull_stream
from services.routing.stages import CLOSED, advance_stage
from store.engine import session_scope

__all__ = ["ReconcileReport", "reconcile", "refresh_installment", "refresh_open_installments"]

logger = logging.getLogger("synchub.finance.reconcile")


@dataclass
class ReconcileReport:
    settlements: int = 0
    invoices: int = 0
    status_changes: int = 0


def _installment(s: Session, system: str, bill_number: str) -> ReceivableInstallment | None:
    query = select(ReceivableInstallment).where(
        ReceivableInstallment.erp_system == system, ReceivableInstallment.erp_number == bill_number
    )
    return s.scalars(query).first()


def _sum(s: Session, column: InstrumentedAttribute[Decimal], *where: ColumnElement[bool]) -> Decimal:
    return Decimal(s.scalar(select(func.coalesce(func.sum(column), 0)).where(*where)) or 0)


def refresh_installment(s: Session, inst: ReceivableInstallment, today: date) -> bool:
    """Amounts from the stored payments and invoices, then the derived status; True if it changed."""
    received = _sum(s, Payment.amount, Payment.installment_id == inst.id, Payment.kind == "receipt")
    written_off = _sum(s, Payment.amount, Payment.installment_id == inst.id, Payment.kind == "write_off")
    invoiced = _sum(s, Invoice.amount, Invoice.installment_id == inst.id)
    if inst.paid_amount != received:
        inst.paid_amount = received
    if inst.invoiced_amount != invoiced:
        inst.invoiced_amount = invoiced
    facts = Facts(inst.amount, inst.due_date, inst.erp_id is not None, invoiced, received, written_off)
    target = derive_status(facts, today)
    try:
        return transition(inst, target)
    except InvalidTransition as exc:
        logger.warning("%s", exc)
        record_event(
            s, "status_refused", "receivable_installment", inst.id, {"from": inst.status, "to": target}
        )
        return False


def _upsert(s: Session, system: str, inst: ReceivableInstallment, r: ErpSettlement | ErpInvoice) -> bool:
    """Store ``r`` as a payment or an invoice of ``inst``: inserted once, then kept in step.
    True when ``r`` was new."""
    model: type[Payment] | type[Invoice]
    at = datetime.combine(r.occurred_on if isinstance(r, ErpSettlement) else r.issued_on, time(0), tzinfo=CST)
    if isinstance(r, ErpSettlement):
        model, key, synced = Payment, Payment.erp_id == r.erp_id, {"amount": r.amount, "kind": r.kind}
        created = {"erp_id": r.erp_id, "paid_at": at}
    else:
        model, key, synced = Invoice, Invoice.number == r.number, {"amount": r.amount}
        created = {"number": r.number, "kind": r.kind, "issued_at": at}
    row = s.scalars(select(model).where(model.erp_system == system, key)).first()
    if row is None:
        new = model(
            contract_id=inst.contract_id, installment_id=inst.id, erp_system=system, **created, **synced
        )
        s.add(new)
        return True
    if any(getattr(row, k) != v for k, v in synced.items()):
        for k, v in synced.items():
            setattr(row, k, v)
    return False


def _won_by_payment(s: Session, system: str, inst: ReceivableInstallment, r: ErpSettlement) -> None:
    """Money received in the ERP for a contract wins the lead the contract names, if it is still open
    (a contract entered in the ERP alone reaches the hub first through its payment)."""
    contract = s.get(Contract, inst.contract_id)
    if contract is None or contract.lead_id is None:
        return
    lead = s.get(Lead, contract.lead_id)
    if lead is not None and lead.stage not in CLOSED:
        note = f"{system} receipt {r.erp_id} for contract {contract.number}"
        advance_stage(s, lead, "won", by=f"erp:{system}", note=note)


def _apply(
    system: str, today: date, report: ReconcileReport
) -> Callable[[Session, Sequence[ErpSettlement | ErpInvoice]], int]:
    def apply(s: Session, records: Sequence[ErpSettlement | ErpInvoice]) -> int:
        changed = 0
        for r in records:
            inst = _installment(s, system, r.bill_number)
            if inst is None:
                if isinstance(r, ErpSettlement):
                    logger.info(
                        "%s settlement %s is for bill %s, not pushed by the hub",
                        system,
                        r.erp_id,
                        r.bill_number,
                    )
                continue
            new = _upsert(s, system, inst, r)
            if new and isinstance(r, ErpSettlement) and r.kind == "receipt":
                _won_by_payment(s, system, inst, r)
            s.flush()
            changed += 1
            report.status_changes += refresh_installment(s, inst, today)
        return changed

    return apply


def refresh_open_installments(engine: Engine, today: date, system: str | None = None) -> int:
    """Recompute every open installment (an installment turns overdue by the calendar alone)."""
    changed = 0
    with session_scope(engine) as s:
        query = select(ReceivableInstallment).where(ReceivableInstallment.status.in_(OPEN_STATUSES))
        if system is not None:
            query = query.where(ReceivableInstallment.erp_system == system)
        for inst in s.scalars(query.order_by(ReceivableInstallment.id)):
            changed += refresh_installment(s, inst, today)
    return changed


def reconcile(engine: Engine, gateway: ReceivableGateway, today: date) -> ReconcileReport:
    report = ReconcileReport()
    apply = _apply(gateway.system, today, report)
    report.settlements = pull_stream(engine, gateway, "settlements", ErpSettlement, apply)
    report.invoices = pull_stream(engine, gateway, "invoices", ErpInvoice, apply)
    report.status_changes += refresh_open_installments(engine, today, gateway.system)
    return report
