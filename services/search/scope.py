"""What a search widens to: the records an auditor reads with the ones found, and the contracts a
receivables list shows for them."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.models import Contact, Contract, Customer, Lead, ReceivableInstallment
from services.search.finder import Hit

__all__ = ["MAX_RELATED", "receivable_scope", "related_keys"]

MAX_RELATED = 2000  # ledger records one search may widen to
_MAX_ID = 2**31 - 1


def _ids(hits: list[Hit], kind: str) -> set[int]:
    """The whole-number ids of the hits of one kind (an entity key may name any id, even a wrong one)."""
    return {int(h.id) for h in hits if h.kind == kind and h.id.isdigit() and int(h.id) <= _MAX_ID}


def _cluster(session: Session, customer_ids: set[int]) -> set[int]:
    """The customers and every customer of their clusters (goldens and members), so a search that
    found one spelling also reaches what was merged with it."""
    ids = set(customer_ids)
    goldens = set(
        session.scalars(
            select(Customer.merged_into_id).where(Customer.id.in_(ids), Customer.merged_into_id.is_not(None))
        )
    )
    ids |= {g for g in goldens if g is not None}
    ids |= set(session.scalars(select(Customer.id).where(Customer.merged_into_id.in_(ids))))
    return ids


def receivable_scope(session: Session, hits: list[Hit]) -> tuple[set[int], set[int]]:
    """(contract ids, customer ids) whose contracts a receivables list shows for these hits."""
    customers = _ids(hits, "customer")
    return _ids(hits, "contract"), _cluster(session, customers) if customers else set()


def related_keys(session: Session, hits: list[Hit], cap: int = MAX_RELATED) -> list[tuple[str, str]]:
    """(entity type, id) of every hit and the records read with it, hits first, at most ``cap``:
    a customer's cluster, contracts, leads and contacts; a lead's contracts; a contract's installments."""
    keys: dict[tuple[str, str], None] = {(h.kind, h.id): None for h in hits}
    found, leads = _ids(hits, "customer"), _ids(hits, "lead")
    customers = _cluster(session, found) if found else set()
    keys.update((("customer", str(i)), None) for i in sorted(customers))
    contract_ids = _ids(hits, "contract")
    if customers or leads:
        query = select(Contract.id).where(
            or_(Contract.customer_id.in_(customers), Contract.lead_id.in_(leads))
        )
        contract_ids |= set(session.scalars(query))
    keys.update((("contract", str(i)), None) for i in sorted(contract_ids))
    if customers:
        linked = session.scalars(select(Lead.id).where(Lead.customer_id.in_(customers)).order_by(Lead.id))
        keys.update((("lead", str(i)), None) for i in linked)
        contacts = session.scalars(
            select(Contact.id).where(Contact.customer_id.in_(customers)).order_by(Contact.id)
        )
        keys.update((("contact", str(i)), None) for i in contacts)
    if contract_ids:
        installments = session.scalars(
            select(ReceivableInstallment.id)
            .where(ReceivableInstallment.contract_id.in_(contract_ids))
            .order_by(ReceivableInstallment.id)
        )
        keys.update((("receivable_installment", str(i)), None) for i in installments)
    return list(keys)[:cap]
