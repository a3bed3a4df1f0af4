"""ERP customers into the hub (incremental by modification time), so dedupe matches new leads
against customers finance already has and a lead for one of them is linked, not created twice.

An ERP customer already linked (``ExternalRef``) updates its hub customer; else a hub customer with
the same USCC and no link to this ERP is linked; else a new hub customer is created and linked, and
matched like any new customer: merged with the lead customers of its company, or queued for review.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from connectors.erp_gateway import ReceivableGateway
from core.errors import MappingError
from core.models import Customer, ExternalRef
from mapping.company import normalise_company
from mapping.erp.records import ErpCustomer
from mapping.uscc import validate_uscc
from services.finance.sync import pull_stream
from services.routing.linking import customer_index, index_new_customer
from services.routing.people import settle_review

__all__ = ["apply_customers", "pull_customers"]


def _uscc(text: str | None) -> str | None:
    try:
        return validate_uscc(text) if text else None
    except MappingError:
        return None


def _ref(s: Session, system: str, **where: object) -> ExternalRef | None:
    query = select(ExternalRef).where(ExternalRef.system == system, ExternalRef.entity_type == "customer")
    for column, value in where.items():
        query = query.where(getattr(ExternalRef, column) == value)
    return s.scalars(query).first()


def apply_customers(s: Session, system: str, records: Sequence[ErpCustomer]) -> int:
    changed = 0
    for erp in records:
        uscc = _uscc(erp.uscc)
        ref = _ref(s, system, external_id=erp.erp_id)
        if ref is not None:
            customer = s.get_one(Customer, ref.entity_id)
            if ref.external_number != erp.number:
                ref.external_number = erp.number
        else:
            same = None
            if uscc:
                same = s.scalars(
                    select(Customer).where(Customer.uscc == uscc, Customer.status == "active")
                ).first()
                same = same if same is not None and _ref(s, system, entity_id=same.id) is None else None
            if same is not None:
                customer = same
            else:
                index = customer_index(s)  # caught up before the new customer exists: added once, below
                customer = Customer(
                    name=erp.name, name_norm=normalise_company(erp.name), uscc=uscc, address=erp.address,
                    phone=erp.phone,
                )  # fmt: skip
                s.add(customer)
                s.flush()
                # matched against every customer (lead and contract customers included), as a
                # contract's new customer is: one company's ERP record and leads merge or meet in review
                for golden in index_new_customer(s, index, customer):
                    settle_review(s, merged=golden)
            s.add(
                ExternalRef(
                    entity_type="customer",
                    entity_id=customer.id,
                    system=system,
                    external_id=erp.erp_id,
                    external_number=erp.number,
                )
            )
        _update(customer, erp, uscc)
        s.flush()
        changed += 1
    return changed


def _update(customer: Customer, erp: ErpCustomer, uscc: str | None) -> None:
    for field, value in (
        ("name", erp.name),
        ("uscc", uscc),
        ("address", erp.address),
        ("phone", erp.phone),
    ):
        if value and getattr(customer, field) != value:
            setattr(customer, field, value)
            if field == "name":
                customer.name_norm = normalise_company(value)


def pull_customers(engine: Engine, gateway: ReceivableGateway) -> int:
    """New and changed ERP customers since the last pull; the count applied."""
    return pull_stream(
        engine, gateway, "customers", ErpCustomer, lambda s, rows: apply_customers(s, gateway.system, rows)
    )
