"""Merge, unmerge and the review queue in the store (SQLite and PostgreSQL), with the ledger."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.context import audit_context
from audit.models import AuditLog
from core.errors import InputError, NotFoundError
from core.models import ClusterMember, Customer, CustomerCluster, MatchCandidate
from dedupe import CustomerMatcher, approve, list_candidates, reject, run_batch, run_full, unmerge
from dedupe.service import load_customer_records
from store.engine import session_scope
from tests.dedupe.customers import (
    HZ,
    HZ_2,
    HZ_3,
    SZ,
    add_customer,
    customer_rows,
    ledger_events,
    matcher_with,
)


def test_new_customers_merge_automatically_and_the_golden_record_survives(store: Engine) -> None:
    a, b, c = matcher_with(store, HZ, HZ_2, SZ)
    with session_scope(store) as session:
        golden, member, other = (
            session.get_one(Customer, a),
            session.get_one(Customer, b),
            session.get_one(Customer, c),
        )
        assert (member.status, member.merged_into_id) == ("merged", a)
        assert golden.status == "active" and golden.email == "wang@zhilian.com"  # filled from the member
        assert (other.status, other.merged_into_id) == ("active", None)  # Suzhou stays apart
        cluster = session.scalars(select(CustomerCluster)).one()
        assert cluster.golden_id == a and cluster.survivorship["email"]["member"] == b
        review = list_candidates(session)
        assert [(r.left_id, r.right_id) for r in review] == [(a, c)]  # another city: for an admin
        assert review[0].explanation["guard"] == "another city or province"
        merge_event = ledger_events(session, "merge")[0]
        assert merge_event["golden_id"] == a and merge_event["joined"] == [b]
        assert merge_event["explanation"]["fields"]["name"]["level"] in ("exact", "exact_city")
        assert "values" not in merge_event["explanation"]["fields"]["phone"]  # personal: never in the chain


def test_unmerge_restores_exactly_the_prior_state_and_both_are_in_the_ledger(store: Engine) -> None:
    with session_scope(store) as session:
        a, b = add_customer(session, **HZ).id, add_customer(session, **HZ_2, owner="li").id
    with session_scope(store) as session:
        before = customer_rows(session)
        customers_before = session.scalar(select(func.count()).select_from(Customer))
    with session_scope(store) as session:
        matcher = CustomerMatcher.from_store(session)
        assert len(matcher.index) == 2
    with session_scope(store) as session, audit_context(actor="user:zhang"):
        from dedupe import merge_customers

        merge_customers(session, a, b, {"why": "test"}, reason="test merge")
    with session_scope(store) as session:
        assert customer_rows(session) != before
        assert session.get_one(Customer, a).owner == "li"  # survivorship took the only owner
    with session_scope(store) as session:
        assert unmerge(session, b, actor="user:zhang", note="wrong merge") == [a, b]
    with session_scope(store) as session:
        assert customer_rows(session) == before
        assert session.scalar(select(func.count()).select_from(Customer)) == customers_before
        assert session.scalar(select(func.count()).select_from(CustomerCluster)) == 0
        assert session.scalar(select(func.count()).select_from(ClusterMember)) == 0
        merges, unmerges = ledger_events(session, "merge"), ledger_events(session, "unmerge")
        assert [m["explanation"] for m in merges] == [{"why": "test"}]
        assert unmerges[0]["restored"] == [a, b] and unmerges[0]["dissolved"] is True
        assert unmerges[0]["_actor"] == "user:zhang" and unmerges[0]["_reason"] == "wrong merge"
        row_changes = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_type == "customer", AuditLog.entity_id == str(b))
        ).all()
        assert row_changes == ["insert", "update", "update"]  # merged, then restored: both row-audited
        cluster_rows = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_type == "cluster_member")
        ).all()
        assert sorted(cluster_rows) == ["delete", "delete", "insert", "insert"]


def test_review_approve_reject_and_unmerge_of_one_member(store: Engine) -> None:
    a, b, c = matcher_with(store, HZ, SZ, HZ_3)
    with session_scope(store) as session:
        pending = {(x.left_id, x.right_id): x.id for x in list_candidates(session)}
    assert (a, b) in pending
    with session_scope(store) as session:
        reject(session, pending[(a, b)], actor="user:li", note="different companies")
        with pytest.raises(InputError, match="already rejected"):
            approve(session, pending[(a, b)], actor="user:li")
    with session_scope(store) as session:
        assert session.get_one(Customer, c).merged_into_id == a  # 杭州智联医疗器械 merged on its own
        matcher = CustomerMatcher.from_store(session)
        three = add_customer(session, name="杭州智联医疗器械有限公司", phone="+8613700000000", city="杭州市")
        matcher.add_customer(session, three)
        members_before = session.scalar(select(func.count()).select_from(ClusterMember))
    assert members_before == 3
    with session_scope(store) as session:
        assert unmerge(session, c, actor="user:li") == [c]
    with session_scope(store) as session:
        assert session.get_one(Customer, c).status == "active"
        assert session.scalar(select(func.count()).select_from(ClusterMember)) == 2  # golden + one member
        assert session.get_one(MatchCandidate, pending[(a, b)]).status == "rejected"
        with pytest.raises(NotFoundError):
            unmerge(session, b, actor="user:li")


def test_a_rejected_pair_is_not_merged_by_a_full_run(store: Engine) -> None:
    with session_scope(store) as session:
        a, b = add_customer(session, **HZ).id, add_customer(session, **HZ_2).id
        session.add(MatchCandidate(left_id=a, right_id=b, score=1.0, decision="review", status="rejected"))
    with session_scope(store) as session:
        report = run_full(session)
    assert report["merges_applied"] == 0
    with session_scope(store) as session:
        assert session.get_one(Customer, b).status == "active"


def test_full_run_and_one_by_one_matching_reach_the_same_clusters(store: Engine) -> None:
    from dedupe import read_records
    from tests.dedupe.test_accuracy import RECORDS

    rows = read_records(RECORDS)[:150]
    values = [
        {
            "name": r.company or r.contact or "?",
            "phone": r.phone or None,
            "email": r.email or None,
            "address": r.address or None,
            "uscc": r.uscc or None,
        }
        for r in rows
    ]
    matcher_with(store, *values)
    with session_scope(store) as session:
        records = [r for r, _ in load_customer_records(session)]
        batch = {frozenset(int(x) for x in c) for c in run_batch(records).clusters}
        golden = {c.id: c.merged_into_id or c.id for c in session.scalars(select(Customer))}
    incremental: dict[int, set[int]] = {}
    for customer_id, root in golden.items():
        incremental.setdefault(root, set()).add(customer_id)
    assert {frozenset(s) for s in incremental.values()} == batch
    assert any(len(c) > 1 for c in batch)
    with session_scope(store) as session:
        assert run_full(session)["merges_applied"] == 0  # nothing left to merge: they already agree


def test_approve_merges_with_the_candidate_explanation(store: Engine) -> None:
    with session_scope(store) as session:
        a = add_customer(session, **HZ).id
        b = add_customer(session, name="杭州智联医疗器械有限公司", phone="+8613700000001", city="杭州市").id
        candidate = MatchCandidate(
            left_id=a, right_id=b, score=3.2, decision="review", explanation={"score": 3.2, "fields": {}}
        )
        session.add(candidate)
        session.flush()
        candidate_id = candidate.id
    with session_scope(store) as session:
        cluster = approve(session, candidate_id, actor="user:wang", note="same buyer")
        assert cluster.golden_id == a
    with session_scope(store) as session:
        decided = session.get_one(MatchCandidate, candidate_id)
        assert (decided.status, decided.decided_by) == ("approved", "user:wang")
        assert decided.decided_at is not None and decided.decided_at <= datetime.now(UTC)
        event = ledger_events(session, "merge")[0]
        assert event["candidate_id"] == candidate_id and event["explanation"]["approved_by"] == "user:wang"
        assert event["_actor"] == "user:wang"
