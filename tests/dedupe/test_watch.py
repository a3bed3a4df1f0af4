"""The scheduled dedupe-leads run: one customer index for the whole watch, leads linked as they land."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from core.models import Customer, Lead, Source
from dedupe.service import CustomerMatcher
from dedupe.watch import watch_pending_leads
from store.engine import session_scope
from tests.dedupe.customers import three_leads


def _lead(store: Engine, external_id: str, company: str, phone: str) -> None:
    with session_scope(store) as s:
        source = s.scalars(select(Source)).one()
        s.add(Lead(source_id=source.id, external_id=external_id, company=company, phone=phone))


def test_a_watching_run_builds_the_index_once_and_links_leads_as_they_land(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_leads(store)
    builds: list[int] = []
    original = CustomerMatcher.from_store.__func__  # type: ignore[attr-defined]

    def counting(cls: type[CustomerMatcher], session: Any, model: Any = None) -> CustomerMatcher:
        builds.append(1)
        return original(cls, session, model)  # type: ignore[no-any-return]

    monkeypatch.setattr(CustomerMatcher, "from_store", classmethod(counting))
    now = [0.0]
    arrivals = iter(
        [
            ("x3", "杭州智联医疗器械有限公司", "+8613812345678"),  # the Hangzhou buyer once more
            ("x4", "宁波海曙精工有限公司", "+8613700001111"),  # somebody new
        ]
    )

    def sleep(seconds: float) -> None:  # a lead lands while the run waits
        now[0] += seconds
        arrival = next(arrivals, None)
        if arrival is not None:
            _lead(store, *arrival)

    report = watch_pending_leads(store, seconds=12, poll_seconds=5, clock=lambda: now[0], sleep=sleep)
    assert report["passes"] == 3 and builds == [1]  # one index for three passes
    assert (report["leads"], report["linked_to_existing"], report["new_customers"]) == (5, 2, 3)
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Lead).where(Lead.customer_id.is_(None))) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 3
        first, again = s.scalars(select(Lead).where(Lead.external_id.in_(["x0", "x3"]))).all()
        assert first.customer_id == again.customer_id  # the later lead joined the customer made earlier


def test_without_a_watch_it_is_one_pass(store: Engine) -> None:
    three_leads(store)
    report = watch_pending_leads(store, sleep=lambda s: pytest.fail("a single pass never sleeps"))
    assert (report["passes"], report["leads"], report["new_customers"]) == (1, 3, 2)
