"""Dedupe against the store: match leads as they arrive, and the full batch re-run.

:class:`CustomerMatcher` holds a :class:`~dedupe.index.MatchIndex` of every customer (each as it was
before any merge, so survivorship never feeds back into matching) and a cluster builder that mirrors
the store's clusters. Build it once per process with :meth:`CustomerMatcher.from_store`; then
:meth:`~CustomerMatcher.match_lead` links each new lead to an existing customer or creates one, and
:meth:`~CustomerMatcher.add_customer` indexes a new customer, merges it where the decision is merge
and queues review pairs. :meth:`~CustomerMatcher.refresh` catches up with customers that other
processes added (by id), so the index is never rebuilt per lead.

:func:`run_full` re-clusters every customer in one batch (``synchub dedupe run --full``): it never
undoes an admin's merge; it adds the merges the batch finds and queues its review pairs. On the same
customers, in id order, it reaches the same clusters as adding them one by one.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit.capture import lock_chain
from core.models import ClusterMember, Contact, Customer, Lead
from dedupe.batch import run_batch
from dedupe.cluster import ClusterBuilder, one_per_cluster_pair
from dedupe.index import MatchIndex, ScoredPair, as_review
from dedupe.merge import golden_of, merge_customers
from dedupe.records import Prepared, Record, prepare
from dedupe.review import find_candidate, queue_candidate, rejected_pairs, review_decisions
from dedupe.weights import Model, load_model

__all__ = [
    "CustomerMatcher",
    "LeadMatch",
    "customer_record",
    "load_customer_records",
    "match_pending_leads",
    "model_for",
    "run_full",
]


def model_for(session: Session) -> Model:
    """The packaged weights refined with every admin decision in the store."""
    return load_model().refine(review_decisions(session))


def customer_record(
    customer: Customer, contact: str | None = None, state: dict[str, Any] | None = None
) -> Record:
    """A customer as dedupe sees it; ``state`` (a prior state) overrides its current columns."""
    values: dict[str, Any] = {
        key: getattr(customer, key)
        for key in ("name", "name_norm", "phone", "email", "address", "uscc", "province", "city", "district")
    }
    values.update({k: v for k, v in (state or {}).items() if k in values})
    address = values["address"] or ""
    places = "".join(
        p for p in (values["province"], values["city"], values["district"]) if p and p not in address
    )
    return Record(
        id=str(customer.id),
        company=values["name"] if values["name_norm"] else "",
        contact=contact or "",
        phone=values["phone"] or "",
        email=values["email"] or "",
        address=places + address,
        uscc=values["uscc"] or "",
    )


def load_customer_records(session: Session, after_id: int = 0) -> list[tuple[Record, int | None]]:
    """Every customer with id > ``after_id`` in id order, as it was before any merge, with its golden."""
    contacts: dict[int, str] = {}
    for customer_id, name in session.execute(select(Contact.customer_id, Contact.name).order_by(Contact.id)):
        if name:
            contacts.setdefault(customer_id, name)
    prior = {m.customer_id: m.prior_state for m in session.scalars(select(ClusterMember))}
    customers = session.scalars(select(Customer).where(Customer.id > after_id).order_by(Customer.id))
    out: list[tuple[Record, int | None]] = []
    for customer in customers:
        record = customer_record(customer, contacts.get(customer.id), prior.get(customer.id))
        out.append((record, customer.merged_into_id))
    return out


@dataclass
class LeadMatch:
    customer_id: int
    decision: str  # merge (linked to an existing customer) | new (a customer was created)
    pairs: list[dict[str, Any]] = field(default_factory=list)  # the merge and review pairs, explained


class CustomerMatcher:
    """The in-memory index of the store's customers; see the module docstring."""

    def __init__(self, model: Model | None = None, cannot_link: list[tuple[str, str]] | None = None) -> None:
        self.index = MatchIndex(model, cannot_link=cannot_link or ())
        self.builder = ClusterBuilder()
        self.last_id = 0
        self.merged: set[int] = set()  # golden ids of the merges made since the caller last cleared it

    @classmethod
    def from_store(cls, session: Session, model: Model | None = None) -> CustomerMatcher:
        matcher = cls(model or model_for(session), rejected_pairs(session))
        matcher.refresh(session)
        return matcher

    def refresh(self, session: Session) -> int:
        """Catch up with other processes: index customers added since the last call (returns how
        many) and never pair again what an admin rejected meanwhile."""
        for a, b in rejected_pairs(session):
            self.index.forbid(a, b)
        rows = load_customer_records(session, self.last_id)
        for record, golden in rows:
            prepared = prepare(record)
            self.index.insert(prepared)
            self.builder.add(prepared)
            if golden is not None and str(golden) in self.builder:
                self.builder.union(record.id, str(golden), force=True)
            self.last_id = max(self.last_id, int(record.id))
        return len(rows)

    def add_customer(
        self, session: Session, customer: Customer, contact: str | None = None
    ) -> list[ScoredPair]:
        """Match a new customer against the index, merge or queue its pairs, then index it."""
        prepared = prepare(customer_record(customer, contact))
        self.builder.add(prepared)
        pairs = self.index.add(prepared)
        self.last_id = max(self.last_id, customer.id)
        held: list[ScoredPair] = []
        for pair in sorted(pairs, key=lambda p: p.decision != "merge"):  # merges first
            left, right = int(pair.left), int(pair.right)
            if pair.decision == "merge" and self.builder.union(pair.left, pair.right):
                explanation = self._explain(pair)
                candidate = queue_candidate(session, left, right, pair.score, "merge", explanation)
                if _golden_id(session, left) != _golden_id(session, right):
                    why = "automatic merge"
                    merged = merge_customers(session, left, right, explanation, candidate.id, why)
                    self.merged.add(merged.golden_id)
            else:
                held.append(as_review(self.builder, pair))
        seen: set[str] = set()
        for pair in sorted(held, key=lambda p: -p.score):  # one review per other cluster, the best pair
            root = self.builder.find(pair.left)
            if root in seen or root == self.builder.find(pair.right):
                continue
            seen.add(root)
            queue_candidate(
                session, int(pair.left), int(pair.right), pair.score, "review", self._explain(pair)
            )
        return pairs

    def match_lead(self, session: Session, lead: Lead) -> LeadMatch:
        """Link ``lead`` to the customer it belongs to, creating the customer when there is none."""
        record = Record(
            id=f"lead:{lead.id}",
            company=lead.company or "",
            contact=lead.contact_name or "",
            phone=lead.phone or "",
            email=lead.email or "",
            address="".join(p for p in (lead.province_hint, lead.city_hint) if p) + (lead.address or ""),
            uscc=lead.uscc or "",
        )
        prepared = prepare(record)
        pairs = sorted(self.index.match(prepared), key=lambda p: -p.score)
        explained = [self._explain_against(p, prepared) for p in pairs]
        merge = next((p for p in pairs if p.decision == "merge"), None)
        if merge is not None:
            # Reading a customer must not flush the leads linked so far one by one (a flush is a ledger
            # append each); they are flushed together. Customers changed here are in the identity map.
            with session.no_autoflush:
                golden = golden_of(session, session.get_one(Customer, int(merge.left)))
            lead.customer_id = golden.id
            return LeadMatch(golden.id, "merge", explained)
        customer = _customer_from_lead(prepared, lead)
        session.add(customer)
        session.flush()
        if lead.contact_name or lead.phone or lead.email:
            session.add(
                Contact(
                    customer_id=customer.id,
                    name=lead.contact_name,
                    title=lead.contact_title,
                    phone=lead.phone,
                    email=lead.email,
                )
            )
        lead.customer_id = customer.id
        self.add_customer(session, customer, lead.contact_name)
        return LeadMatch(customer.id, "new", explained)

    def _explain(self, pair: ScoredPair) -> dict[str, Any]:
        return {**self.index.explain(pair), "guard": pair.guard, "decision": pair.decision}

    def _explain_against(self, pair: ScoredPair, new: Prepared) -> dict[str, Any]:
        old = self.index.get(pair.left)
        shown = {"name": (old.core, new.core), "region": (old.city or old.province, new.city or new.province)}
        return {"customer_id": int(pair.left), **self.index.model.explain(pair.levels, shown, pair.latin)}


_PERSONAL_NAME = re.compile(r"\d{7}|@")  # a "company" that is a phone number or an e-mail address


def _golden_id(session: Session, customer_id: int) -> int:
    return golden_of(session, session.get_one(Customer, customer_id)).id


def _customer_from_lead(prepared: Prepared, lead: Lead) -> Customer:
    named = bool(lead.company) and not _PERSONAL_NAME.search(lead.company or "")
    return Customer(
        # without a company the customer is named after its lead, never after the person's phone,
        # e-mail or name: customers.name is not a personal column (shown, ledgered in clear)
        name=(lead.company if named and lead.company else f"未具名客户(线索 {lead.id})")[:200],
        name_norm=prepared.core if named else None,
        uscc=prepared.uscc,
        phone=lead.phone,
        email=lead.email,
        address=lead.address,
        adcode=lead.adcode,
        province=lead.province_hint,
        city=lead.city_hint,
        industry=prepared.industry,
        owner=lead.owner,
    )


def match_pending_leads(session: Session, matcher: CustomerMatcher | None = None) -> dict[str, Any]:
    """Match every lead that has no customer yet, in arrival order; a report of what happened.

    The chain lock comes first: a second matcher (another worker, an overlapping scheduled run) waits
    for this one's commit, then reads the customers it made and finds its leads already linked,
    instead of giving the same lead a second customer.
    """
    started = time.perf_counter()
    lock_chain(session)
    if matcher is None:
        matcher = CustomerMatcher.from_store(session)
    else:
        matcher.refresh(session)
    leads = list(session.scalars(select(Lead).where(Lead.customer_id.is_(None)).order_by(Lead.id)))
    linked = created = 0
    for lead in leads:
        if matcher.match_lead(session, lead).decision == "merge":
            linked += 1
        else:
            created += 1
    return {
        "leads": len(leads),
        "linked_to_existing": linked,
        "new_customers": created,
        "indexed_customers": len(matcher.index),
        "merged_golden_ids": sorted(matcher.merged),  # whose owners the caller settles
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_full(session: Session, model: Model | None = None) -> dict[str, Any]:
    """Re-cluster every customer in one batch and apply it; a report of what it did."""
    started = time.perf_counter()
    lock_chain(session)  # the customers and clusters read here are the ones the merges apply to
    rows = load_customer_records(session)
    records = [r for r, _ in rows]
    result = run_batch(records, model or model_for(session), cannot_link=rejected_pairs(session))
    merged = queued = 0
    goldens: set[int] = set()
    for pair in result.merges:
        left, right = int(pair.left), int(pair.right)
        explanation = {**result.index.explain(pair), "decision": "merge"}
        candidate = queue_candidate(session, left, right, pair.score, "merge", explanation)
        if _golden_id(session, left) != _golden_id(session, right):
            goldens.add(
                merge_customers(session, left, right, explanation, candidate.id, "full dedupe run").golden_id
            )
            merged += 1
    for pair in one_per_cluster_pair(result.reviews, lambda record: _golden_id(session, int(record))):
        if find_candidate(session, int(pair.left), int(pair.right)) is None:
            explanation = {**result.index.explain(pair), "guard": pair.guard, "decision": "review"}
            queue_candidate(session, int(pair.left), int(pair.right), pair.score, "review", explanation)
            queued += 1
    return {
        "customers": len(rows),
        "clusters": sum(1 for c in result.clusters if len(c) > 1),
        "merges_applied": merged,
        "merged_golden_ids": sorted(goldens),  # whose owners the caller settles
        "review_pairs": len(result.reviews),
        "reviews_queued": queued,
        "blocking": result.stats.as_dict(),
        "seconds": round(time.perf_counter() - started, 3),
    }
