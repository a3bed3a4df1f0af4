"""Merge and unmerge customers in the store, each one a ledger event with its explanation.

Merge joins the clusters of two customers. The surviving (golden) customer is the oldest golden of
the two; each member keeps a :class:`ClusterMember` row with its exact state before the merge
(every column but ``id`` and ``created_at``), the golden included, so that unmerge can put it back.
Merged members get ``status = "merged"`` and ``merged_into_id`` = the golden; the golden's fields
are recomputed by survivorship (``dedupe.golden``) over the members' prior states.

Each member's phones, e-mails and contact cards the golden lacks become contacts of the golden
(``dedupe.contacts``), so no buyer of the company is lost; the merge event names, per field, the
member whose value won, the rule and why.

Unmerge of a member restores it exactly (and deletes the contacts it brought) and recomputes the
golden from the members left; unmerge of the golden (or of the last member) dissolves the cluster
and restores everyone. The candidate that linked the member keeps the status it had (nobody chose
``rejected``); it is marked unmerged (:func:`mark_unmerged`), and ``dedupe.review.rejected_pairs``
keeps such a pair from being merged again automatically.

Row changes reach the ledger through the automatic capture; on top of them each merge and unmerge
writes one ``merge`` / ``unmerge`` event (``audit.capture.record_event``) holding the explanation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit.capture import record_event
from audit.context import current_context
from core.errors import InputError, NotFoundError
from core.models import ClusterMember, Customer, CustomerCluster, Lead, MatchCandidate, Source, utcnow
from dedupe.contacts import ADDED_KEY, add_member_contacts, added_ids, move_contacts, remove_contacts
from dedupe.golden import FIELD_RULES, MemberState, survive

__all__ = [
    "SNAPSHOT_FIELDS",
    "UNMERGED",
    "golden_of",
    "is_unmerged",
    "mark_unmerged",
    "merge_customers",
    "restore",
    "snapshot",
    "unmerge_customer",
]

SNAPSHOT_FIELDS: tuple[str, ...] = tuple(
    c.key for c in Customer.__table__.columns if c.key not in ("id", "created_at")
)
_DATETIMES = frozenset({"updated_at"})
UNMERGED = "unmerged"  # the note word, and the key of the flag in the candidate's explanation
_SURVIVING = (*FIELD_RULES, "name_norm")


def snapshot(customer: Customer) -> dict[str, Any]:
    """Every column but id and created_at, JSON-safe (datetimes as ISO text)."""
    out: dict[str, Any] = {}
    for key in SNAPSHOT_FIELDS:
        value = getattr(customer, key)
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def restore(customer: Customer, state: dict[str, Any]) -> None:
    for key in SNAPSHOT_FIELDS:
        value = state.get(key)
        if key in _DATETIMES and isinstance(value, str):
            value = datetime.fromisoformat(value)
        setattr(customer, key, value)


def mark_unmerged(candidate: MatchCandidate) -> None:
    """Note the unmerge on the candidate (its status stays): the flag keeps the pair apart for good."""
    context = current_context()
    flag = {"at": utcnow().isoformat(), "by": context.actor, "status": candidate.status}
    candidate.explanation = {**(candidate.explanation or {}), UNMERGED: flag}  # a new dict: change tracked
    candidate.note = UNMERGED if not candidate.note else f"{candidate.note}; {UNMERGED}"


def is_unmerged(candidate: MatchCandidate) -> bool:
    return bool((candidate.explanation or {}).get(UNMERGED))


def _customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFoundError(f"customer {customer_id} does not exist")
    return customer


def golden_of(session: Session, customer: Customer) -> Customer:
    seen: set[int] = set()
    while customer.merged_into_id is not None and customer.id not in seen:
        seen.add(customer.id)
        customer = _customer(session, customer.merged_into_id)
    return customer


def _cluster_of(session: Session, golden_id: int) -> CustomerCluster | None:
    return session.scalars(select(CustomerCluster).where(CustomerCluster.golden_id == golden_id)).first()


def _members(session: Session, cluster_id: int) -> list[ClusterMember]:
    query = (
        select(ClusterMember)
        .where(ClusterMember.cluster_id == cluster_id)
        .order_by(ClusterMember.customer_id)
    )
    return list(session.scalars(query))


def _sources(session: Session, customer_ids: list[int]) -> dict[int, str]:
    query = (
        select(Lead.customer_id, Source.kind)
        .join(Source, Source.id == Lead.source_id)
        .where(Lead.customer_id.in_(customer_ids))
        .order_by(Lead.id)
    )
    out: dict[int, str] = {}
    for customer_id, kind in session.execute(query):
        if customer_id is not None:
            out.setdefault(int(customer_id), str(kind))
    return out


def _apply_survivorship(session: Session, cluster: CustomerCluster, golden: Customer) -> None:
    members = _members(session, cluster.id)
    sources = _sources(session, [m.customer_id for m in members])
    states = []
    for member in members:
        updated = member.prior_state.get("updated_at")
        states.append(
            MemberState(
                member.customer_id,
                member.prior_state,
                datetime.fromisoformat(updated) if isinstance(updated, str) else None,
                sources.get(member.customer_id),
            )
        )
    values, winners = survive(states, golden.id)
    for key in _SURVIVING:
        if key in values and getattr(golden, key) != values[key]:
            setattr(golden, key, values[key])
    cluster.survivorship = winners


def _contacts_added(session: Session, cluster_id: int) -> dict[str, int]:
    """Per member, how many contacts it brought to the golden (counts: the chain holds no phones)."""
    counts = {str(m.customer_id): len(added_ids(m.prior_state)) for m in _members(session, cluster_id)}
    return {k: v for k, v in counts.items() if v}


def merge_customers(
    session: Session,
    a_id: int,
    b_id: int,
    explanation: dict[str, Any],
    candidate_id: int | None = None,
    reason: str | None = None,
) -> CustomerCluster:
    """Join the clusters of customers ``a_id`` and ``b_id``; see the module docstring."""
    keep, other = golden_of(session, _customer(session, a_id)), golden_of(session, _customer(session, b_id))
    if keep.id == other.id:
        raise InputError(f"customers {a_id} and {b_id} are already one customer ({keep.id})")
    if other.id < keep.id:
        keep, other = other, keep
    cluster = _cluster_of(session, keep.id)
    if cluster is None:
        cluster = CustomerCluster(golden_id=keep.id)
        session.add(cluster)
        session.flush()
        session.add(ClusterMember(cluster_id=cluster.id, customer_id=keep.id, prior_state=snapshot(keep)))
    joined = [other.id]
    other_cluster = _cluster_of(session, other.id)
    if other_cluster is None:
        state = snapshot(other)
        brought = add_member_contacts(session, keep, other.id, state)
        session.add(
            ClusterMember(
                cluster_id=cluster.id,
                customer_id=other.id,
                prior_state={**state, ADDED_KEY: brought} if brought else state,
                match_candidate_id=candidate_id,
            )
        )
    else:
        members = _members(session, other_cluster.id)
        moved = [i for m in members for i in added_ids(m.prior_state)]
        move_contacts(session, moved, keep.id)  # what the other golden's members brought follows them
        for member in members:
            member.cluster_id = cluster.id
            if member.customer_id == other.id:
                restore(other, member.prior_state)  # its own data again, not the survivorship result
                member.match_candidate_id = candidate_id
                brought = add_member_contacts(session, keep, other.id, member.prior_state, moved)
                if brought:
                    member.prior_state = {**member.prior_state, ADDED_KEY: brought}
            else:
                _customer(session, member.customer_id).merged_into_id = keep.id
                joined.append(member.customer_id)
        session.flush()
        session.delete(other_cluster)
    other.status, other.merged_into_id = "merged", keep.id
    session.flush()
    _apply_survivorship(session, cluster, keep)
    session.flush()
    details = {
        "golden_id": keep.id,
        "joined": sorted(joined),
        "pair": [a_id, b_id],
        "candidate_id": candidate_id,
        "explanation": explanation,
        "survivorship": cluster.survivorship,
        "contacts_added": _contacts_added(session, cluster.id),
    }
    record_event(session, "merge", "customer_cluster", cluster.id, details, reason)
    return cluster


def unmerge_customer(session: Session, customer_id: int, reason: str | None = None) -> list[int]:
    """Take ``customer_id`` out of its cluster, restoring its exact prior state; the restored ids."""
    member = session.scalars(select(ClusterMember).where(ClusterMember.customer_id == customer_id)).first()
    if member is None:
        raise NotFoundError(f"customer {customer_id} is not in a merged cluster")
    cluster = session.get(CustomerCluster, member.cluster_id)
    assert cluster is not None
    members = _members(session, cluster.id)
    dissolve = customer_id == cluster.golden_id or len(members) <= 2
    leaving = members if dissolve else [member]
    explanations: list[dict[str, Any]] = []
    for gone in leaving:
        if gone.match_candidate_id is not None:
            candidate = session.get(MatchCandidate, gone.match_candidate_id)
            if candidate is not None:
                explanations.append(
                    {
                        "candidate_id": candidate.id,
                        "status": candidate.status,  # kept: the unmerge does not decide for anyone
                        "explanation": candidate.explanation,
                    }
                )
                mark_unmerged(candidate)
        remove_contacts(session, added_ids(gone.prior_state))
        restore(_customer(session, gone.customer_id), gone.prior_state)
        session.delete(gone)
    session.flush()
    golden_id = cluster.golden_id
    if dissolve:
        session.delete(cluster)
    else:
        _apply_survivorship(session, cluster, _customer(session, golden_id))
    session.flush()
    restored = sorted(m.customer_id for m in leaving)
    details = {
        "golden_id": golden_id,
        "restored": restored,
        "dissolved": dissolve,
        "merges_undone": explanations,
    }
    record_event(session, "unmerge", "customer_cluster", cluster.id, details, reason)
    return restored
