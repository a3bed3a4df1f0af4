"""Owners change: a salesperson leaves (handover), or a merge or unmerge changes whose customer it is.

Either way the rule is the same: a customer has one owner, and its open leads follow that owner.
Each move is a row change in the ledger plus a ``handover`` event naming why; the new owner is told
(their team's robot, with the customer's history link), and a lead nobody has contacted yet starts
its SLA clock again with the new owner. Someone who left never gets a new lead (``inactive_people``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import record_event
from core.errors import InputError
from core.models import ClusterMember, Customer, CustomerCluster, Lead, PersonStatus
from services.notify import enqueue
from services.routing.config import RoutingConfig
from services.routing.ownership import UNCONTACTED, inactive_people, open_leads_of
from services.routing.strategies import OPEN_STAGES, OwnerPicker

__all__ = [
    "HandoverReport",
    "come_back",
    "leave",
    "people_overview",
    "settle_customer",
    "settle_merge",
    "settle_merges",
    "settle_review",
]


@dataclass
class HandoverReport:
    person: str
    customers: int = 0
    leads: int = 0
    new_owners: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, object]:
        return {"person": self.person, "customers": self.customers, "leads": self.leads,
                "new_owners": dict(self.new_owners)}  # fmt: skip


def _status(session: Session, person: str) -> PersonStatus:
    row = session.scalars(select(PersonStatus).where(PersonStatus.person == person)).first()
    if row is None:
        row = PersonStatus(person=person)
        session.add(row)
    return row


def _tell(session: Session, config: RoutingConfig, customer: Customer, owner: str, previous: str | None,
          why: str, open_leads: int, url: str, now: datetime) -> None:  # fmt: skip
    team = config.territories.teams.get(config.territories.team_of(owner) or "")
    robot = (team.dingtalk or team.wecom) if team else None
    if not robot or team is None:
        return
    channel = "dingtalk" if team.dingtalk else "wecom"
    people = config.territories.people
    context = {"customer_id": customer.id, "company": customer.name, "owner_name": people[owner].name
               if owner in people else owner, "previous_name": people[previous].name if previous in people
               else previous, "why": why, "open_leads": open_leads,
               "link": f"{url}/audit/history/customer/{customer.id}"}  # fmt: skip
    key = f"handover:{customer.id}:{owner}:{now.isoformat(timespec='seconds')}"
    enqueue(session, "handover", channel, robot, context, key=key)


def settle_merge(session: Session, config: RoutingConfig, golden_id: int, now: datetime, url: str) -> int:
    """Two customers became one: the golden keeps its own owner, else the first owner among the
    members (policy "first owner", the survivorship rule for ``owner``); every member's former owner
    is told, and the cluster's open leads move to the one owner."""
    golden = session.get(Customer, golden_id)
    cluster = session.scalars(select(CustomerCluster).where(CustomerCluster.golden_id == golden_id)).first()
    if golden is None or cluster is None:
        return 0
    members = session.scalars(
        select(ClusterMember)
        .where(ClusterMember.cluster_id == cluster.id)
        .order_by(ClusterMember.customer_id)
    ).all()
    owners = [str(m.prior_state.get("owner")) for m in members if m.prior_state.get("owner")]
    inactive = inactive_people(session)
    if not golden.owner or golden.owner in inactive:
        golden.owner = next((o for o in owners if o not in inactive), golden.owner)
    before = [o for o in dict.fromkeys(owners) if o != golden.owner]
    return settle_customer(session, config, golden, "customers merged", now, url, previous=before)


def settle_customer(session: Session, config: RoutingConfig, golden: Customer, why: str, now: datetime,
                    url: str, previous: Iterable[str] = ()) -> int:  # fmt: skip
    """Move the open leads of ``golden``'s cluster to its owner; tell the owner and every previous
    owner (the customer changed hands). Returns how many leads moved."""
    owner = golden.owner
    if not owner or owner in inactive_people(session):
        return 0
    moved: list[Lead] = [lead for lead in open_leads_of(session, golden.id) if lead.owner != owner]
    for lead in moved:
        before = lead.owner
        lead.owner, lead.team = owner, config.territories.team_of(owner) or lead.team
        if lead.stage in UNCONTACTED:  # a new owner, a new first-contact clock
            lead.assigned_at = now
            lead.sla_due_at = now + timedelta(minutes=config.rules.default_sla_minutes)
            lead.stage = "assigned"
        moved_to = {"from": before, "to": owner, "customer": golden.id}
        record_event(session, "handover", "lead", lead.id, moved_to, reason=why)
    others = [p for p in previous if p != owner]
    if moved or others:
        _tell(session, config, golden, owner, ", ".join(others) or None, why, len(moved), url, now)
        for other in others:
            if other in config.territories.people:
                _tell(session, config, golden, other, other, f"{why}: moved to {owner}", 0, url, now)
    return len(moved)


def leave(session: Session, config: RoutingConfig, person: str, *, to: str | None = None,
          pool: str | None = None, now: datetime, url: str) -> HandoverReport:  # fmt: skip
    """``person`` leaves: their customers and open leads go to ``to``, or back to team ``pool`` by the
    team's strategy (default: the person's own team)."""
    people, teams = config.territories.people, config.territories.teams
    if person not in people:
        raise InputError(f"no person {person!r} in the territories file; known: {', '.join(sorted(people))}")
    if to is not None and pool is not None:
        raise InputError("give --to NAME or --pool TEAM, not both")
    inactive = inactive_people(session) | {person}
    if to is not None and (to not in people or to in inactive):
        raise InputError(f"{to!r} cannot take over: not in the territories file, or left too")
    pool = pool or (None if to else config.territories.team_of(person))
    if pool is not None and pool not in teams:
        raise InputError(f"no team {pool!r}; known: {', '.join(sorted(teams))}")
    status = _status(session, person)
    status.status, status.handed_to, status.changed_at = "left", to or f"pool:{pool}", now
    picker = OwnerPicker(session, inactive)
    report = HandoverReport(person)
    why = f"{person} left"
    customers = session.scalars(
        select(Customer)
        .where(Customer.owner == person, Customer.merged_into_id.is_(None))
        .order_by(Customer.id)
    ).all()
    for customer in customers:
        new_owner = to or picker.pick(teams[pool or ""], teams[pool or ""].strategy)
        customer.owner = new_owner
        report.customers += 1
        report.new_owners[new_owner] += 1
        report.leads += settle_customer(session, config, customer, why, now, url, previous=[person])
    for lead in session.scalars(select(Lead).where(Lead.owner == person, Lead.stage.in_(OPEN_STAGES))).all():
        new_owner = to or picker.pick(teams[pool or ""], teams[pool or ""].strategy)
        record_event(session, "handover", "lead", lead.id, {"from": person, "to": new_owner}, reason=why)
        lead.owner, lead.team = new_owner, config.territories.team_of(new_owner) or lead.team
        if lead.stage in UNCONTACTED:
            lead.assigned_at, lead.stage = now, "assigned"
            lead.sla_due_at = now + timedelta(minutes=config.rules.default_sla_minutes)
        report.leads += 1
        report.new_owners[new_owner] += 1
    record_event(session, "leave", "person", person, {**report.as_dict(), "to": to, "pool": pool}, reason=why)
    return report


def come_back(session: Session, config: RoutingConfig, person: str, now: datetime) -> None:
    """``person`` is active again: new leads may reach them (their old customers stay with the new owners)."""
    if person not in config.territories.people:
        raise InputError(f"no person {person!r} in the territories file")
    status = _status(session, person)
    status.status, status.handed_to, status.changed_at = "active", None, now
    record_event(session, "return", "person", person, {"person": person}, reason=f"{person} is back")


def settle_review(session: Session, *, merged: int | None = None, restored: Iterable[int] = ()) -> int:
    """After a reviewer's merge (the golden id) or unmerge (the restored ids): one owner per customer
    again, open leads moved, everyone concerned told. Returns how many leads moved."""
    from core.models import utcnow
    from services.routing.config import RoutingSettings, load_routing

    config, url, now = load_routing(), RoutingSettings().console_url, utcnow()
    moved = settle_merge(session, config, merged, now, url) if merged is not None else 0
    for customer_id in restored:
        customer = session.get(Customer, customer_id)
        if customer is not None and customer.merged_into_id is None:
            moved += settle_customer(session, config, customer, "customers unmerged", now, url)
    return moved


def settle_merges(engine: Engine, golden_ids: Iterable[int]) -> int:
    """``settle_review`` for each customer a dedupe run merged, each in its own transaction."""
    from store.engine import session_scope

    moved = 0
    for golden in golden_ids:
        with session_scope(engine) as session:
            moved += settle_review(session, merged=golden)
    return moved


def people_overview(session: Session, config: RoutingConfig) -> list[dict[str, object]]:
    """Everyone in the territories file: team, status, customers owned and open leads held."""
    gone = inactive_people(session)
    goldens = select(Customer.owner, func.count()).where(Customer.merged_into_id.is_(None))
    owned: dict[str | None, int] = {o: n for o, n in session.execute(goldens.group_by(Customer.owner))}
    held = select(Lead.owner, func.count()).where(Lead.stage.in_(OPEN_STAGES)).group_by(Lead.owner)
    open_leads: dict[str | None, int] = {owner: n for owner, n in session.execute(held)}
    return [
        {"person": key, "name": person.name, "team": config.territories.team_of(key),
         "status": "left" if key in gone else "active", "customers": owned.get(key, 0),
         "open_leads": open_leads.get(key, 0)}
        for key, person in sorted(config.territories.people.items())
    ]  # fmt: skip
