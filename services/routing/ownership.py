"""One customer, one owner.

A lead linked to a customer whose owner is active goes to that owner (the ``account_owner`` rule);
a customer without an owner takes the owner of its first assigned lead (a ``claim``, in the ledger);
open leads follow their customer's owner when a merge, an unmerge or a handover changes it; and
the duplicate follow-up rate says how often that still fails: the share of customers with leads in
the last 30 days whose leads are held by two or more people.

"The customer" is always the golden one: a merged customer's leads belong to its cluster's golden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit.capture import record_event
from core.models import Customer, Lead, PersonStatus
from services.routing.strategies import OPEN_STAGES

__all__ = [
    "UNCONTACTED",
    "DuplicateRate",
    "claim_customers",
    "cluster_ids",
    "duplicate_followup",
    "golden_ids",
    "inactive_people",
    "open_leads_of",
]

UNCONTACTED = ("new", "assigned")


def inactive_people(session: Session) -> set[str]:
    """People who left: they get no new lead and own no customer."""
    return set(session.scalars(select(PersonStatus.person).where(PersonStatus.status == "left")))


def golden_ids(session: Session, customer_ids: Iterable[int | None]) -> dict[int, int]:
    """Each customer id -> the id of its golden customer (itself when it was never merged)."""
    wanted = {i for i in customer_ids if i is not None}
    parent: dict[int, int | None] = {}
    frontier = set(wanted)
    while frontier:
        rows = session.execute(select(Customer.id, Customer.merged_into_id).where(Customer.id.in_(frontier)))
        frontier = set()
        for cid, up in rows:
            parent[cid] = up
            if up is not None and up not in parent:
                frontier.add(up)

    def root(cid: int) -> int:
        seen: set[int] = set()
        while (up := parent.get(cid)) is not None and cid not in seen:
            seen.add(cid)
            cid = up
        return cid

    return {cid: root(cid) for cid in wanted}


def cluster_ids(session: Session, golden_id: int) -> list[int]:
    """A golden customer and every customer merged into it."""
    merged = session.scalars(select(Customer.id).where(Customer.merged_into_id == golden_id))
    return [golden_id, *merged]


def open_leads_of(session: Session, golden_id: int) -> list[Lead]:
    """Open leads of a customer's whole cluster."""
    members = cluster_ids(session, golden_id)
    return list(
        session.scalars(
            select(Lead).where(Lead.customer_id.in_(members), Lead.stage.in_(OPEN_STAGES)).order_by(Lead.id)
        )
    )


def claim_customers(session: Session, leads: Iterable[Lead], inactive: set[str]) -> int:
    """A customer without an (active) owner takes the owner of its first assigned lead."""
    claimed = 0
    leads = [lead for lead in leads if lead.owner and lead.customer_id is not None]
    goldens = golden_ids(session, [lead.customer_id for lead in leads if lead.customer_id is not None])
    for lead in leads:
        assert lead.customer_id is not None and lead.owner is not None
        customer = session.get(Customer, goldens.get(lead.customer_id, lead.customer_id))
        if customer is None or (customer.owner and customer.owner not in inactive):
            continue
        before = customer.owner
        customer.owner = lead.owner
        record_event(session, "claim", "customer", customer.id,
                     {"owner": lead.owner, "lead_id": lead.id, "before": before},
                     reason=f"first assigned lead #{lead.id}")  # fmt: skip
        claimed += 1
    return claimed


@dataclass
class DuplicateRate:
    """Customers with leads in the window, and those whose leads are held by two or more people."""

    days: int
    customers: int = 0
    duplicated: list[int] = field(default_factory=list)  # golden customer ids
    owners: dict[int, list[str]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.duplicated) / self.customers if self.customers else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"days": self.days, "customers": self.customers, "duplicated": len(self.duplicated),
                "rate": round(self.rate, 4), "customer_ids": self.duplicated[:50]}  # fmt: skip


def duplicate_followup(session: Session, now: datetime, days: int = 30) -> DuplicateRate:
    """The share of customers with leads in the last ``days`` days assigned to two or more people."""
    since = now - timedelta(days=days)
    rows = session.execute(
        select(Lead.customer_id, Lead.owner).where(Lead.customer_id.is_not(None), Lead.created_at >= since)
    ).all()
    goldens = golden_ids(session, [cid for cid, _ in rows])
    owners: dict[int, set[str]] = defaultdict(set)
    seen: set[int] = set()
    for cid, owner in rows:
        if cid is None:
            continue
        golden = goldens.get(cid, cid)
        seen.add(golden)
        if owner:
            owners[golden].add(owner)
    result = DuplicateRate(days, customers=len(seen))
    for golden, names in sorted(owners.items()):
        if len(names) > 1:
            result.duplicated.append(golden)
            result.owners[golden] = sorted(names)
    return result
