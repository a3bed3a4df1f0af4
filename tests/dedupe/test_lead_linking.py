"""Leads linked to their customer as they arrive: one by one, by two matchers at once, and by a live
matcher catching up with what other processes wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from core.models import Customer, MatchCandidate
from dedupe import CustomerMatcher, MatchIndex
from store.engine import session_scope
from tests.dedupe.customers import HZ, HZ_2, SZ, add_customer, three_leads


def test_leads_link_to_their_customer_as_they_arrive(store: Engine) -> None:
    from core.models import Contact, Lead
    from dedupe.service import match_pending_leads

    three_leads(store)
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

    three_leads(store)
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
        first = add_customer(other_process, **HZ).id
        second = add_customer(other_process, **SZ).id
        other_process.add(
            MatchCandidate(left_id=first, right_id=second, score=0.0, decision="review", status="rejected")
        )
    with session_scope(store) as session:
        assert matcher.refresh(session) == 2 and len(matcher.index) == 2
        new = add_customer(session, **HZ_2)
        matcher.add_customer(session, new)
    with session_scope(store) as session:
        assert session.get_one(Customer, new.id).merged_into_id == first
        assert matcher.refresh(session) == 0
        suzhou = matcher.index.get(str(second))
        fresh = MatchIndex()
        fresh.insert(matcher.index.get(str(first)))
        assert [p.decision for p in fresh.match(suzhou)] == ["review"]  # what the pair would be
        assert all(p.left != str(first) for p in matcher.index.match(suzhou))  # but an admin said no
