"""What the hub knows about one installment, as the bill an ERP gateway pushes (one read transaction),
and the record of a successful push (one write transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import record_event
from connectors.incremental import CST
from core.models import Contract, Customer, ExternalRef, OutboxMessage, ReceivableInstallment, utcnow
from mapping.erp.codes import ErpCodes
from mapping.erp.records import BillRequest, CustomerRequest, ErpBill, ErpCustomer
from services.finance.outbox import Claimed
from services.finance.status import transition
from store.engine import session_scope

__all__ = ["LoadedBill", "load_bill", "record_pushed", "settle_without_push"]


@dataclass(frozen=True)
class LoadedBill:
    bill: BillRequest
    already: ErpBill | None  # the installment already holds ERP ids (pushed by an earlier message)
    contract_status: str


def load_bill(engine: Engine, claimed: Claimed, codes: ErpCodes) -> LoadedBill:
    with session_scope(engine) as s:
        inst = s.get_one(ReceivableInstallment, claimed.installment_id)
        contract = s.get_one(Contract, inst.contract_id)
        customer = s.get_one(Customer, contract.customer_id)
        seen = {customer.id}
        while customer.merged_into_id is not None and customer.merged_into_id not in seen:
            seen.add(customer.merged_into_id)
            customer = s.get_one(Customer, customer.merged_into_id)
        ref = s.scalars(
            select(ExternalRef).where(
                ExternalRef.system == claimed.system,
                ExternalRef.entity_type == "customer",
                ExternalRef.entity_id == customer.id,
            )
        ).first()
        count = s.scalar(
            select(func.count())
            .select_from(ReceivableInstallment)
            .where(ReceivableInstallment.contract_id == contract.id)
        )
        wanted = CustomerRequest(
            hub_id=customer.id,
            number=(
                ref.external_number if ref and ref.external_number else codes.customer_number_for(customer.id)
            ),
            name=customer.name,
            uscc=customer.uscc,
            address=customer.address,
            phone=customer.phone,
            erp_id=ref.external_id if ref else None,
        )
        bill = BillRequest(
            business_key=inst.business_key,
            key=codes.bill_key(contract.number, inst.installment_no, inst.business_key),
            contract_number=contract.number,
            installment_no=inst.installment_no,
            installment_count=int(count or 1),
            customer=wanted,
            amount=inst.amount,
            currency=contract.currency,
            tax_rate=contract.tax_rate,
            bill_date=contract.signed_at.astimezone(CST).date(),
            due_date=inst.due_date,
            owner=contract.owner,
        )
        already = None
        if inst.erp_id and inst.erp_system == claimed.system:
            already = ErpBill(inst.erp_id, inst.erp_number or "", bill.key, inst.amount)
        return LoadedBill(bill, already, contract.status)


def record_pushed(
    engine: Engine,
    claimed: Claimed,
    bill: BillRequest,
    erp_bill: ErpBill,
    customer: ErpCustomer | None,
    how: str,
    now: datetime | None = None,
) -> None:
    """ERP ids on the installment, the customer link, the message done: one transaction."""
    now = now or utcnow()
    with session_scope(engine) as s:
        inst = s.get_one(ReceivableInstallment, claimed.installment_id)
        if inst.erp_id is None:
            inst.erp_system, inst.erp_id, inst.erp_number = claimed.system, erp_bill.erp_id, erp_bill.number
            inst.pushed_at = now
        if inst.status == "scheduled":
            transition(inst, "pushed")
        if customer is not None and customer.erp_id and bill.customer.erp_id is None:
            _link_customer(s, claimed.system, bill.customer.hub_id, customer)
        message = s.get_one(OutboxMessage, claimed.id)
        message.status, message.claimed_by, message.claimed_until, message.last_error = (
            "done",
            None,
            None,
            None,
        )
        record_event(
            s,
            "erp_push",
            "receivable_installment",
            inst.id,
            {
                "system": claimed.system,
                "erp_id": erp_bill.erp_id,
                "number": erp_bill.number,
                "key": bill.key,
                "how": how,
                "attempt": claimed.attempts,
            },
        )


def _link_customer(s: Session, system: str, hub_id: int, customer: ErpCustomer) -> None:
    taken = s.scalars(
        select(ExternalRef).where(
            ExternalRef.system == system,
            ExternalRef.entity_type == "customer",
            (ExternalRef.external_id == customer.erp_id) | (ExternalRef.entity_id == hub_id),
        )
    ).first()
    if taken is None:
        s.add(
            ExternalRef(
                entity_type="customer",
                entity_id=hub_id,
                system=system,
                external_id=customer.erp_id,
                external_number=customer.number,
            )
        )


def settle_without_push(engine: Engine, claimed: Claimed, status: str, reason: str) -> None:
    """Close a message that needs no push (installment already pushed, contract cancelled)."""
    with session_scope(engine) as s:
        message = s.get_one(OutboxMessage, claimed.id)
        message.status, message.claimed_by, message.claimed_until, message.last_error = (
            status,
            None,
            None,
            reason,
        )
