"""The review queue on :class:`MatchCandidate`: list, show, approve, reject, unmerge.

The CLI (``synchub dedupe review ...``) and the web console call these same functions. Each takes
the admin (``user:NAME``) as ``actor``: it goes on the candidate (``decided_by``) and, through the
audit context, on every ledger entry the decision writes.

Candidate states: ``pending`` (waiting for an admin) -> ``approved`` (merged) or ``rejected`` (kept
apart, and never paired again by a later run). An unmerge keeps the candidate's status (nobody chose
``rejected``), notes "unmerged" and flags it (``dedupe.merge.mark_unmerged``): an unmerged pair is
kept apart like a rejected one (:func:`rejected_pairs`) and counts as "not the same" for the weights.
Automatic merges are stored as candidates too (``decision = "merge"``, ``decided_by = "auto"``) so
every merge has its explanation in one place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from audit.context import audit_context
from core.errors import InputError, NotFoundError
from core.models import Contract, Customer, CustomerCluster, Lead, MatchCandidate, utcnow
from dedupe.compare import FIELDS, LEVELS, Levels
from dedupe.merge import UNMERGED, is_unmerged, merge_customers, unmerge_customer

__all__ = [
    "AUTO",
    "STATUSES",
    "approve",
    "find_candidate",
    "get_candidate",
    "impact",
    "levels_of",
    "list_candidates",
    "queue_candidate",
    "reject",
    "rejected_pairs",
    "review_decisions",
    "unmerge",
]

AUTO = "auto"
STATUSES = ("pending", "approved", "rejected")


def list_candidates(session: Session, status: str = "pending", limit: int = 50) -> list[MatchCandidate]:
    """Candidates in ``status``. The pending queue comes in the order an admin should take it: the
    decisions that change most first (:func:`impact`: the leads and contracts of both customers, which
    a merge puts under one owner), then the highest score; decided ones highest score first."""
    if status not in STATUSES:
        raise InputError(f"status must be one of {', '.join(STATUSES)} (got {status!r})")
    query = (
        select(MatchCandidate)
        .where(MatchCandidate.status == status, MatchCandidate.decision != "merge")
        .order_by(MatchCandidate.score.desc(), MatchCandidate.id)
    )
    if status != "pending":
        return list(session.scalars(query.limit(limit)))
    found = list(session.scalars(query))
    weight = impact(session, found)
    found.sort(key=lambda c: (-weight[c.id], -c.score, c.id))
    return found[:limit]


def impact(session: Session, candidates: Sequence[MatchCandidate]) -> dict[int, int]:
    """Candidate id -> the leads and contracts of both customers and of the customers merged into them:
    what approving the pair moves under one customer and one owner."""
    sides = {c.left_id for c in candidates} | {c.right_id for c in candidates}
    if not sides:
        return {}
    root = {i: i for i in sides}
    merged = select(Customer.id, Customer.merged_into_id).where(Customer.merged_into_id.in_(sides))
    root.update({i: into for i, into in session.execute(merged) if into is not None})
    held: Counter[int] = Counter()
    for model in (Lead, Contract):
        counted = (
            select(model.customer_id, func.count())
            .where(model.customer_id.in_(root))
            .group_by(model.customer_id)
        )
        for customer_id, n in session.execute(counted):
            if customer_id is not None:
                held[root[customer_id]] += n
    return {c.id: held[c.left_id] + held[c.right_id] for c in candidates}


def get_candidate(session: Session, candidate_id: int) -> MatchCandidate:
    candidate = session.get(MatchCandidate, candidate_id)
    if candidate is None:
        raise NotFoundError(f"match candidate {candidate_id} does not exist")
    return candidate


def find_candidate(session: Session, a: int, b: int) -> MatchCandidate | None:
    """The candidate for the pair, in either order."""
    query = select(MatchCandidate).where(
        or_(
            (MatchCandidate.left_id == a) & (MatchCandidate.right_id == b),
            (MatchCandidate.left_id == b) & (MatchCandidate.right_id == a),
        )
    )
    return session.scalars(query).first()


def queue_candidate(
    session: Session, left: int, right: int, score: float, decision: str, explanation: dict[str, Any]
) -> MatchCandidate:
    """Store a scored pair (once per pair): ``review`` waits for an admin, ``merge`` is decided."""
    existing = find_candidate(session, left, right)
    if existing is not None:
        return existing
    candidate = MatchCandidate(
        left_id=left, right_id=right, score=round(score, 4), decision=decision, explanation=explanation
    )
    if decision == "merge":
        candidate.status, candidate.decided_by, candidate.decided_at = "approved", AUTO, utcnow()
    session.add(candidate)
    session.flush()
    return candidate


def _decide(candidate: MatchCandidate, status: str, actor: str, note: str | None) -> None:
    if candidate.status != "pending":
        raise InputError(f"match candidate {candidate.id} is already {candidate.status}")
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, utcnow()
    candidate.note = note


def approve(session: Session, candidate_id: int, actor: str, note: str | None = None) -> CustomerCluster:
    """The admin says same company: merge the pair, with the candidate's explanation."""
    with audit_context(actor=actor, reason=note):
        candidate = get_candidate(session, candidate_id)
        _decide(candidate, "approved", actor, note)
        explanation = {**candidate.explanation, "approved_by": actor}
        return merge_customers(
            session,
            candidate.left_id,
            candidate.right_id,
            explanation,
            candidate.id,
            note or "approved in review",
        )


def reject(session: Session, candidate_id: int, actor: str, note: str | None = None) -> MatchCandidate:
    """The admin says different companies: the pair stays apart and is not proposed again."""
    with audit_context(actor=actor, reason=note):
        candidate = get_candidate(session, candidate_id)
        _decide(candidate, "rejected", actor, note)
        session.flush()
        return candidate


def unmerge(session: Session, customer_id: int, actor: str, note: str | None = None) -> list[int]:
    """Undo a merge: restore the customer's exact prior state (the whole cluster for a golden)."""
    with audit_context(actor=actor, reason=note):
        return unmerge_customer(session, customer_id, note or "unmerged in review")


def levels_of(explanation: dict[str, Any]) -> Levels | None:
    """The comparison levels stored in an explanation, or None if it was made with other levels."""
    try:
        return tuple(LEVELS[name].index(explanation["fields"][name]["level"]) for name in FIELDS)
    except (KeyError, ValueError, TypeError):
        return None


def review_decisions(session: Session) -> list[tuple[Levels, bool]]:
    """Admins' decisions (not automatic ones) as (levels, same company?), to refine the weights."""
    query = select(MatchCandidate).where(
        MatchCandidate.status.in_(("approved", "rejected")), MatchCandidate.decided_by != AUTO
    )
    out: list[tuple[Levels, bool]] = []
    for candidate in [*session.scalars(query), *_unmerged(session, automatic_only=True)]:
        levels = levels_of(candidate.explanation)
        if levels is not None:
            out.append((levels, candidate.status == "approved" and not is_unmerged(candidate)))
    return out


def _unmerged(session: Session, automatic_only: bool = False) -> list[MatchCandidate]:
    """Candidates whose merge an admin undid (the note says so; the flag in the explanation proves it)."""
    query = select(MatchCandidate).where(
        MatchCandidate.status != "rejected", MatchCandidate.note.contains(UNMERGED)
    )
    if automatic_only:
        query = query.where(MatchCandidate.decided_by == AUTO)
    return [c for c in session.scalars(query) if is_unmerged(c)]


def rejected_pairs(session: Session) -> list[tuple[str, str]]:
    """Pairs an admin kept apart (rejected or unmerged): never merged again automatically."""
    query = select(MatchCandidate.left_id, MatchCandidate.right_id).where(MatchCandidate.status == "rejected")
    pairs = [(str(a), str(b)) for a, b in session.execute(query)]
    return pairs + [(str(c.left_id), str(c.right_id)) for c in _unmerged(session)]
