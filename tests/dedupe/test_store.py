"""Merge, unmerge and the review queue in the store (SQLite and PostgreSQL), with the ledger."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.context import audit_context
from audit.models import AuditLog
from core.errors import InputError, NotFoundError
from core.models import ClusterMember, Customer, CustomerCluster, MatchCandidate
from dedupe import CustomerMatcher, MatchIndex, approve, list_candidates, reject, run_batch, run_full, unmerge
from dedupe.merge import SNAPSHOT_FIELDS
from dedupe.service import load_customer_records
from store.engine import session_scope

HZ = {"name": "杭州智联医疗器械有限公司", "phone": "+8613812345678", "city": "杭州市", "province": "浙江省"}
HZ_2 = {"name": "智联医械(杭州)有限公司", "phone": "+8613812345678", "email": "wang@zhilian.com"}
HZ_3 = {"name": "杭州智联医疗器械", "address": "杭州市西湖区文三路90号", "uscc": None}
# another company in another city, listing the same (distributor's) phone: strong evidence, yet no merge
SZ = {"name": "苏州智联医疗器械有限公司", "phone": "+8613812345678", "city": "苏州市"}


def _add(session: Session, **values: Any) -> Customer:
    from mapping import company_core

    customer = Customer(name_norm=company_core(values["name"]).core, **values)
    session.add(customer)
    session.flush()
    return customer


def _rows(session: Session) -> dict[int, dict[str, Any]]:
    return {
        c.id: {k: getattr(c, k) for k in ("id", "created_at", *SNAPSHOT_FIELDS)}
        for c in session.scalars(select(Customer))
    }


def _events(session: Session, action: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.seq))
    return [json.loads(r.changes)["event"] | {"_actor": r.actor, "_reason": r.reason} for r in rows]


def _matcher_with(store: Engine, *customers: dict[str, Any]) -> list[int]:
    ids: list[int] = []
    with session_scope(store) as session:
        matcher = CustomerMatcher.from_store(session)
        for values in customers:
            customer = _add(session, **values)
            matcher.add_customer(session, customer)
            ids.append(customer.id)
    return ids


def test_new_customers_merge_automatically_and_the_golden_record_survives(store: Engine) -> None:
    a, b, c = _matcher_with(store, HZ, HZ_2, SZ)
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
        merge_event = _events(session, "merge")[0]
        assert merge_event["golden_id"] == a and merge_event["joined"] == [b]
        assert merge_event["explanation"]["fields"]["name"]["level"] in ("exact", "exact_city")
        assert "values" not in merge_event["explanation"]["fields"]["phone"]  # personal: never in the chain


def test_unmerge_restores_exactly_the_prior_state_and_both_are_in_the_ledger(store: Engine) -> None:
    with session_scope(store) as session:
        a, b = _add(session, **HZ).id, _add(session, **HZ_2, owner="li").id
    with session_scope(store) as session:
        before = _rows(session)
        customers_before = session.scalar(select(func.count()).select_from(Customer))
    with session_scope(store) as session:
        matcher = CustomerMatcher.from_store(session)
        assert len(matcher.index) == 2
    with session_scope(store) as session, audit_context(actor="user:zhang"):
        from dedupe import merge_customers

        merge_customers(session, a, b, {"why": "test"}, reason="test merge")
    with session_scope(store) as session:
        assert _rows(session) != before
        assert session.get_one(Customer, a).owner == "li"  # survivorship took the only owner
    with session_scope(store) as session:
        assert unmerge(session, b, actor="user:zhang", note="wrong merge") == [a, b]
    with session_scope(store) as session:
        assert _rows(session) == before
        assert session.scalar(select(func.count()).select_from(Customer)) == customers_before
        assert session.scalar(select(func.count()).select_from(CustomerCluster)) == 0
        assert session.scalar(select(func.count()).select_from(ClusterMember)) == 0
        merges, unmerges = _events(session, "merge"), _events(session, "unmerge")
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
    a, b, c = _matcher_with(store, HZ, SZ, HZ_3)
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
        three = _add(session, name="杭州智联医疗器械有限公司", phone="+8613700000000", city="杭州市")
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
        a, b = _add(session, **HZ).id, _add(session, **HZ_2).id
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
    _matcher_with(store, *values)
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
        a = _add(session, **HZ).id
        b = _add(session, name="杭州智联医疗器械有限公司", phone="+8613700000001", city="杭州市").id
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
        event = _events(session, "merge")[0]
        assert event["candidate_id"] == candidate_id and event["explanation"]["approved_by"] == "user:wang"
        assert event["_actor"] == "user:wang"


def _three_leads(store: Engine) -> None:
    from core.models import Lead, Source

    with session_scope(store) as session:
        source = Source(name="douyin-1", kind="douyin")
        session.add(source)
        session.flush()
        for i, (company, contact, phone, city) in enumerate(
            [
                ("杭州智联医疗器械有限公司", "王伟", "+8613812345678", "杭州市"),
                ("智联医械(杭州)有限公司", "王总", "+8613812345678", None),  # the same buyer again
                ("苏州智联医疗器械有限公司", "李娜", "+8613912345678", "苏州市"),  # another company
            ]
        ):
            session.add(
                Lead(
                    source_id=source.id,
                    external_id=f"x{i}",
                    company=company,
                    contact_name=contact,
                    phone=phone,
                    city_hint=city,
                )
            )


def test_leads_link_to_their_customer_as_they_arrive(store: Engine) -> None:
    from core.models import Contact, Lead
    from dedupe.service import match_pending_leads

    _three_leads(store)
    with session_scope(store) as session:
        report = match_pending_leads(session)
    assert (report["leads"], report["linked_to_existing"], report["new_customers"]) == (3, 1, 2)
    with session_scope(store) as session:
        leads = list(session.scalars(select(Lead).order_by(Lead.id)))
        assert leads[0].customer_id == leads[1].customer_id != leads[2].customer_id
        assert session.scalar(select(func.count()).select_from(Customer)) == 2
        assert session.scalar(select(func.count()).select_from(Contact)) == 2
        assert match_pending_leads(session)["leads"] == 0  # nothing left to match


def test_two_matchers_at_once_give_each_lead_one_customer(store: Engine) -> None:
    """Two workers (or an overlapping scheduled run) matching the same pending leads at the same time:
    the second waits for the first and finds the leads linked, so nobody gets a second customer."""
    import threading

    from core.models import Lead
    from dedupe.service import match_pending_leads

    _three_leads(store)
    start = threading.Barrier(2)
    reports: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            with session_scope(store) as session:
                reports.append(match_pending_leads(session))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(r["leads"] for r in reports) == [0, 3]  # one did the work, the other found none left
    with session_scope(store) as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 2
        assert session.scalar(select(func.count()).select_from(Lead).where(Lead.customer_id.is_(None))) == 0


def test_a_live_matcher_catches_up_with_other_processes(store: Engine) -> None:
    with session_scope(store) as session:
        matcher = CustomerMatcher.from_store(session)
    with session_scope(store) as other_process:
        first = _add(other_process, **HZ).id
        second = _add(other_process, **SZ).id
        other_process.add(
            MatchCandidate(left_id=first, right_id=second, score=0.0, decision="review", status="rejected")
        )
    with session_scope(store) as session:
        assert matcher.refresh(session) == 2 and len(matcher.index) == 2
        new = _add(session, **HZ_2)
        matcher.add_customer(session, new)
    with session_scope(store) as session:
        assert session.get_one(Customer, new.id).merged_into_id == first
        assert matcher.refresh(session) == 0
        suzhou = matcher.index.get(str(second))
        fresh = MatchIndex()
        fresh.insert(matcher.index.get(str(first)))
        assert [p.decision for p in fresh.match(suzhou)] == ["review"]  # what the pair would be
        assert all(p.left != str(first) for p in matcher.index.match(suzhou))  # but an admin said no
