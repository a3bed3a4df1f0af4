"""One customer, one owner (issue 19), on SQLite and PostgreSQL: a returning customer's lead goes to
its owner, a new customer's first lead claims it, a lead is linked before it is routed, a merge of two
owned customers keeps one owner and tells both, an unmerge restores them, a handover moves customers
and leads and tells the new owners, and nobody who left gets a lead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from audit.verify import verify_ledger
from core.errors import InputError
from core.models import Customer, Lead
from core.models.routing import NotificationLog
from dedupe.merge import merge_customers, unmerge_customer
from services.routing import RoutingConfig, process_new_leads
from services.routing.linking import forget_index
from services.routing.ownership import duplicate_followup
from services.routing.people import come_back, leave, settle_merge, settle_review
from store.engine import session_scope
from tests.routing.conftest import T0, add_leads

URL = "http://console.test"
ACME = {"company": "杭州智联医疗器械有限公司", "address": "浙江省杭州市西湖区文三路478号"}


@pytest.fixture(autouse=True)
def fresh_index() -> None:
    forget_index()  # every test has its own database: never a neighbour's customer index


def route(store: Engine, config: RoutingConfig, ids: list[int], minutes: int = 0) -> None:
    process_new_leads(
        store, ids, config=config, clock=lambda: T0 + timedelta(minutes=minutes), console_url=URL
    )


def leads_of(store: Engine, ids: list[int]) -> dict[int, Lead]:
    with session_scope(store) as s:
        return {lead.id: lead for lead in s.scalars(select(Lead).where(Lead.id.in_(ids)))}


def test_a_returning_customers_lead_goes_to_its_owner(store: Engine, config: RoutingConfig) -> None:
    first = add_leads(store, {**ACME, "phone": "+8613800000001"})
    route(store, config, first)
    owner = leads_of(store, first)[first[0]].owner
    with session_scope(store) as s:
        customer = s.scalars(select(Customer)).one()
        assert customer.owner == owner  # the first assigned lead claims the customer
        claim = s.scalars(select(AuditLog).where(AuditLog.action == "claim")).one()
        assert claim.entity_id == str(customer.id)
    # Four more leads of the same company from other buyers: round robin would spread them over the team.
    more = add_leads(store, *({**ACME, "phone": f"+861380000001{i}", "contact_name": n}
                              for i, n in enumerate(["王总", "李经理", "张工", "刘女士"])))  # fmt: skip
    route(store, config, more, minutes=5)
    got = leads_of(store, more)
    assert {lead.owner for lead in got.values()} == {owner}
    assert all(lead.customer_id is not None for lead in got.values())  # linked before routed
    with session_scope(store) as s:
        assert duplicate_followup(s, T0 + timedelta(days=1)).rate == 0.0
        event = s.scalars(
            select(AuditLog).where(AuditLog.action == "route", AuditLog.entity_id == str(more[0]))
        ).one()
    assert "account-owner" in (event.reason or "") and f"owned by {owner}" in event.changes
    assert verify_ledger(store).ok


def test_a_rule_above_account_owner_overrides_it_with_the_reason(
    store: Engine, config: RoutingConfig, tmp_path: object
) -> None:
    from dataclasses import replace

    first = add_leads(store, ACME)
    route(store, config, first)
    key_accounts = next(r for r in config.rules.rules if r.name == "douyin-ortho-page")
    rules = replace(config.rules, rules=[replace(key_accounts, when={}, patterns={}), *config.rules.rules])
    again = add_leads(store, {**ACME, "contact_name": "王总"})
    process_new_leads(store, again, config=replace(config, rules=rules), clock=lambda: T0, console_url=URL)
    lead = leads_of(store, again)[again[0]]
    assert lead.team == "ortho"  # the key-account rule above account-owner decided, explicitly


def test_someone_who_left_gets_nothing_and_hands_over(store: Engine, config: RoutingConfig) -> None:
    first = add_leads(store, ACME)
    route(store, config, first)
    owner = leads_of(store, first)[first[0]].owner
    assert owner is not None
    with session_scope(store) as s:
        report = leave(s, config, owner, to="wang", now=T0, url=URL)
    assert (report.customers, report.new_owners["wang"]) == (1, 1)
    with session_scope(store) as s:
        assert s.scalars(select(Customer)).one().owner == "wang"
        told = s.scalars(select(NotificationLog).where(NotificationLog.event == "handover")).all()
        assert told and all("/audit/history/customer/" in t.body for t in told)
    assert leads_of(store, first)[first[0]].owner == "wang"
    # New leads, returning or not, never reach the person who left.
    fresh = add_leads(store, *({"address": "浙江省杭州市西湖区", "company": f"公司{i}", "phone": f"+86139000011{i:02d}"}
                               for i in range(6)))  # fmt: skip
    route(store, config, [*fresh, *add_leads(store, {**ACME, "contact_name": "王总"})], minutes=5)
    with session_scope(store) as s:
        assert owner not in set(s.scalars(select(Lead.owner)))
        come_back(s, config, owner, now=T0)
    with pytest.raises(InputError, match="no person"), session_scope(store) as s:
        leave(s, config, "nobody", now=T0, url=URL)


def test_a_pool_handover_spreads_by_the_team_strategy_and_restarts_the_sla(
    store: Engine, config: RoutingConfig
) -> None:
    ids = add_leads(store, *({"address": "浙江省杭州市西湖区", "company": f"客户{i}有限公司",
                               "phone": f"+86139000012{i:02d}"} for i in range(6)))  # fmt: skip
    route(store, config, ids)
    held = [i for i, lead in leads_of(store, ids).items() if lead.owner == "li"]
    later = T0 + timedelta(hours=3)
    with session_scope(store) as s:
        report = leave(s, config, "li", pool="east", now=later, url=URL)
    assert report.leads >= len(held) >= 1 and "li" not in report.new_owners
    moved = leads_of(store, held).values()
    assert {lead.owner for lead in moved} <= {"chen", "wang"}  # east's other member, or its lead
    assert all(lead.sla_due_at is not None and lead.sla_due_at > later for lead in moved)


def test_a_merge_keeps_one_owner_tells_both_and_an_unmerge_restores(
    store: Engine, config: RoutingConfig
) -> None:
    a = add_leads(
        store,
        {
            "company": "南京鼓楼仁和医疗设备有限公司",
            "address": "江苏省南京市鼓楼区",
            "phone": "+8613900002001",
        },
    )
    route(store, config, a)
    b = add_leads(
        store, {"company": "宁波仁和机械有限公司", "address": "浙江省宁波市", "phone": "+8613900002002"}
    )
    route(store, config, b)
    with session_scope(store) as s:
        linked = {lead.id: lead.customer_id for lead in s.scalars(select(Lead))}
        ca, cb = linked[a[0]], linked[b[0]]
        assert ca is not None and cb is not None and ca != cb
        s.get_one(Customer, ca).owner, s.get_one(Customer, cb).owner = "li", "chen"
        for lead in s.scalars(select(Lead)):
            lead.owner = "li" if lead.customer_id == ca else "chen"
    with session_scope(store) as s:
        cluster = merge_customers(s, ca, cb, {"why": "admin"}, None, "reviewer merged")
        moved = settle_merge(s, config, cluster.golden_id, T0, URL)
    assert moved == 1
    with session_scope(store) as s:
        owners = {lead.owner for lead in s.scalars(select(Lead))}
        told = {n.body for n in s.scalars(select(NotificationLog).where(NotificationLog.event == "handover"))}
        assert duplicate_followup(s, T0 + timedelta(days=1)).rate == 0.0
    assert owners == {"li"} and any("陈静" in t for t in told) and any("李娜" in t for t in told)
    with session_scope(store) as s:
        settle_review(s, restored=unmerge_customer(s, cb, "wrong merge"))  # what the console runs
    assert {lead.owner for lead in leads_of(store, [*a, *b]).values()} == {"li", "chen"}
    assert verify_ledger(store).ok
