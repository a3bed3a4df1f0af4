"""Survivorship in the store: the registered name survives, every buyer stays a contact, a merge says
why each value won, and unmerge restores everything, the candidate's status included (issue 20, #17)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.models import Contact, Customer, MatchCandidate
from dedupe import approve, merge_customers, run_full, unmerge
from dedupe.review import rejected_pairs, review_decisions
from store.engine import session_scope
from tests.dedupe.customers import HZ, HZ_2, add_customer, customer_rows, ledger_events, matcher_with

REGISTERED = "南京鼓楼仁和医疗设备有限公司"
TRADE = "仁和医疗设备(南京)"
P1, P2, P3 = "+8613912340001", "+8613912340002", "+8613912340003"


def contact_rows(session: Session) -> dict[int, tuple[Any, ...]]:
    return {
        c.id: (c.customer_id, c.name, c.title, c.phone, c.email, c.created_at, c.updated_at)
        for c in session.scalars(select(Contact))
    }


def buyer(session: Session, name: str, contact: str, phone: str, **values: Any) -> int:
    """A customer as intake makes it from a lead: the buyer's phone on the row and a contact card."""
    customer = add_customer(session, name=name, phone=phone, **values)
    session.add(Contact(customer_id=customer.id, name=contact, title="采购", phone=phone))
    session.flush()
    return customer.id


def golden_phones(session: Session, golden_id: int) -> set[str | None]:
    return {c.phone for c in session.scalars(select(Contact).where(Contact.customer_id == golden_id))}


@pytest.mark.parametrize("trade_name_first", [False, True], ids=["registered-golden", "trade-golden"])
def test_issue17_registered_name_and_both_buyers_survive_and_unmerge_restores_all(
    store: Engine, trade_name_first: bool
) -> None:
    with session_scope(store) as session:
        first = (TRADE, "李娜", P2, {"email": "lina@renhe.cn"}) if trade_name_first else None
        ids = []
        for name, contact, phone, extra in [
            *([first] if first else []),
            (REGISTERED, "张伟", P1, {"city": "南京市", "province": "江苏省"}),
            *([] if first else [(TRADE, "李娜", P2, {"email": "lina@renhe.cn"})]),
        ]:
            ids.append(buyer(session, name, contact, phone, **extra))
        golden_id, other_id = ids
        registered_id = other_id if trade_name_first else golden_id
        candidate = MatchCandidate(
            left_id=golden_id, right_id=other_id, score=2.1, decision="review", explanation={"fields": {}}
        )
        session.add(candidate)
        session.flush()
        candidate_id = candidate.id
    with session_scope(store) as session:
        customers_before, contacts_before = customer_rows(session), contact_rows(session)
    with session_scope(store) as session:
        approve(session, candidate_id, actor="user:wang", note="同一家")
    with session_scope(store) as session:
        golden = session.get_one(Customer, golden_id)
        assert golden.name == REGISTERED  # never the shorter trade name over the registered one
        assert golden.phone == (P2 if trade_name_first else P1)  # its own, not the other buyer's
        assert golden_phones(session, golden_id) == {P1, P2}  # both buyers are contacts of the customer
        event = ledger_events(session, "merge")[0]
        name_won = event["survivorship"]["name"]
        assert name_won["member"] == registered_id and name_won["rule"] == "most_complete_name"
        assert name_won["why"].startswith("most complete registered name (legal form 有限公司, region 南京)")
        assert event["survivorship"]["phone"]["why"] == "the golden customer's own value"
        assert event["contacts_added"] == {str(other_id): 1}  # the card, with the row's e-mail on it
        if not trade_name_first:
            assert (
                session.scalars(select(Contact).where(Contact.phone == P2)).all()[-1].email == "lina@renhe.cn"
            )
        assert P1 not in str(event) and P2 not in str(event)  # counts in the chain, never phones
    with session_scope(store) as session:
        assert unmerge(session, other_id, actor="user:li", note="拆开") == sorted(ids)
    with session_scope(store) as session:
        assert customer_rows(session) == customers_before
        assert contact_rows(session) == contacts_before
        undone = session.get_one(MatchCandidate, candidate_id)
        assert (undone.status, undone.decided_by) == ("approved", "user:wang")  # as before: nobody rejected
        assert undone.note == "同一家; unmerged"
        assert ledger_events(session, "unmerge")[0]["merges_undone"][0]["status"] == "approved"
    with session_scope(store) as session:
        assert run_full(session)["merges_applied"] == 0
        assert session.get_one(Customer, other_id).status == "active"


def test_an_unmerged_automatic_merge_keeps_its_status_and_is_never_merged_again(store: Engine) -> None:
    a, b = matcher_with(store, HZ, HZ_2)
    with session_scope(store) as session:
        assert session.get_one(Customer, b).merged_into_id == a
        auto = session.scalars(select(MatchCandidate)).one()
        assert (auto.decision, auto.status, auto.decided_by) == ("merge", "approved", "auto")
        assert session.get_one(Customer, a).email == HZ_2["email"]  # filled from the member
    with session_scope(store) as session:
        unmerge(session, b, actor="user:li")
    with session_scope(store) as session:
        candidate = session.scalars(select(MatchCandidate)).one()
        assert (candidate.decision, candidate.status, candidate.decided_by) == ("merge", "approved", "auto")
        assert candidate.note == "unmerged" and candidate.explanation["unmerged"]["by"] == "user:li"
        assert (str(a), str(b)) in rejected_pairs(session)
        assert session.get_one(Customer, a).email is None  # its own again
        assert any(not same for _, same in review_decisions(session))  # an unmerge says "not the same"
    with session_scope(store) as session:
        report = run_full(session)  # the pair scores "merge": only the unmerge keeps it apart
    assert report["merges_applied"] == 0
    with session_scope(store) as session:
        assert (session.get_one(Customer, b).status, session.get_one(Customer, b).merged_into_id) == (
            "active",
            None,
        )


def test_several_buyers_of_one_company_are_contacts_and_unmerge_takes_back_only_ones_own(
    store: Engine,
) -> None:
    with session_scope(store) as session:
        a = buyer(session, REGISTERED, "张伟", P1, city="南京市")
        b = buyer(session, TRADE, "李娜", P2)
        c = buyer(session, "仁和医疗设备(南京)有限公司", "王强", P3)
        d = add_customer(session, name=REGISTERED, phone=P1, email="buy@renhe.cn").id  # no card: row only
        before = contact_rows(session)
    with session_scope(store) as session:
        merge_customers(session, a, b, {"why": "test"})
        merge_customers(session, c, d, {"why": "test"})  # a cluster of its own first...
        merge_customers(session, a, c, {"why": "test"})  # ...then the two clusters join
    with session_scope(store) as session:
        cards = session.scalars(select(Contact).where(Contact.customer_id == a)).all()
        assert {x.phone for x in cards} == {P1, P2, P3}
        assert {x.email for x in cards} == {None, "buy@renhe.cn"}  # d's card: its e-mail is new
        assert {x.name for x in cards} >= {"张伟", "李娜", "王强"}
        assert session.get_one(Customer, a).name == REGISTERED
    with session_scope(store) as session:
        assert unmerge(session, b, actor="user:li") == [b]
    with session_scope(store) as session:
        assert {x.phone for x in session.scalars(select(Contact).where(Contact.customer_id == a))} == {P1, P3}
    with session_scope(store) as session:
        unmerge(session, a, actor="user:li")  # the golden: the cluster dissolves
    with session_scope(store) as session:
        assert contact_rows(session) == before
