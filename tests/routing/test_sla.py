"""The first-contact clock with a frozen clock: escalation, reassignment, the contacted API."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.sandbox.notify_state import NotifyState
from core.models import Customer, Lead
from core.models.routing import NotificationLog
from hub.api.auth import TokenStore
from hub.api.routing import build_router
from services.notify import Senders
from services.routing import RoutingConfig, escalate_overdue, explain_lead, mark_contacted, process_new_leads
from store.engine import session_scope
from tests.routing.conftest import T0, add_leads


def _client(store: Engine) -> TestClient:
    """The routing API, called by a CRM client holding a token (the routes need one: issue 18)."""
    tokens = TokenStore(Path(tempfile.mkdtemp()) / "api_tokens.toml")
    _, token = tokens.add("crm", ["routing_write", "routing_read"])
    app = FastAPI()
    app.include_router(build_router(store, tokens), prefix="/routing")
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def test_not_contacted_within_two_hours_is_escalated_once(
    store: Engine, config: RoutingConfig, senders: Senders, sim: NotifyState
) -> None:
    late, early = add_leads(store, {"address": "上海市徐汇区"}, {"address": "上海市闵行区"})
    process_new_leads(store, [late, early], config=config, clock=lambda: T0)
    assert _client(store).post(f"/routing/leads/{early}/contacted", json={"by": "user:li"}).status_code == 200
    nothing = escalate_overdue(
        store, config=config, senders=senders, clock=lambda: T0 + timedelta(minutes=119)
    )
    assert nothing.escalated == []
    report = escalate_overdue(
        store, config=config, senders=senders, clock=lambda: T0 + timedelta(minutes=121)
    )
    assert report.escalated == [late] and report.reassigned == {}  # east does not reassign
    again = escalate_overdue(store, config=config, senders=senders, clock=lambda: T0 + timedelta(hours=5))
    assert again.escalated == []
    with session_scope(store) as s:
        lead = s.get(Lead, late)
        assert lead is not None and lead.escalated_at == T0 + timedelta(minutes=121)
        rows = s.scalars(select(NotificationLog).where(NotificationLog.event == "escalation")).all()
    assert sorted((r.channel, r.status) for r in rows) == [
        ("dingtalk", "sent"),
        ("sms", "sent"),
        ("wecom", "sent"),
    ]
    assert sim.messages["aliyun_sms"][0]["phone"] == "13900000002"  # the supervisor, 赵敏
    assert explain_lead(store, late)["escalations"][0]["supervisor"] == "zhao"


def test_escalation_reassigns_when_the_team_says_so(store: Engine, config: RoutingConfig) -> None:
    [lead_id] = add_leads(store, {"address": "北京朝阳区", "campaign": "骨科耗材", "channel": "douyin"},
                          source="ocean_engine:1760000000000002")  # fmt: skip
    process_new_leads(store, [lead_id], config=config, clock=lambda: T0)
    with session_scope(store) as s:
        first = s.get(Lead, lead_id)
        assert first is not None and first.team == "ortho"
        owner, due = first.owner, first.sla_due_at
    assert due == T0 + timedelta(minutes=60)  # the douyin-ortho-page rule's window
    report = escalate_overdue(store, config=config, clock=lambda: T0 + timedelta(minutes=61))
    with session_scope(store) as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.owner != owner and lead.owner == report.reassigned[lead_id]
        assert lead.sla_due_at == T0 + timedelta(minutes=121)


def test_escalation_keeps_a_customer_with_the_owner_who_already_works_it(
    store: Engine, config: RoutingConfig
) -> None:
    """A second lead of a customer its owner already works is not handed to someone else when its
    clock runs out (that would give the customer two salespeople): the supervisor is told instead;
    a customer's only lead is reassigned and the customer goes with it."""
    spec = {
        "address": "北京朝阳区",
        "campaign": "骨科耗材",
        "channel": "douyin",
        "company": "北京仁和骨科器械有限公司",
    }
    [first_id] = add_leads(store, spec, source="ocean_engine:1760000000000002")
    process_new_leads(store, [first_id], config=config, clock=lambda: T0)
    mark_contacted(store, first_id, at=T0 + timedelta(minutes=5))
    [second_id] = add_leads(store, {**spec, "contact_name": "王总"}, source="ocean_engine:1760000000000002")
    process_new_leads(store, [second_id], config=config, clock=lambda: T0 + timedelta(minutes=10))
    report = escalate_overdue(store, config=config, clock=lambda: T0 + timedelta(minutes=200))
    with session_scope(store) as s:
        first, second = s.get_one(Lead, first_id), s.get_one(Lead, second_id)
        customer = s.get_one(Customer, second.customer_id)
        assert second.escalated_at is not None and second_id not in report.reassigned
        assert second.owner == first.owner == customer.owner
    [alone] = add_leads(store, {**spec, "company": "天津另一家器械公司", "phone": "+8613800009999"},
                        source="ocean_engine:1760000000000002")  # fmt: skip
    process_new_leads(store, [alone], config=config, clock=lambda: T0 + timedelta(minutes=300))
    report = escalate_overdue(store, config=config, clock=lambda: T0 + timedelta(minutes=400))
    with session_scope(store) as s:
        lead = s.get_one(Lead, alone)
        assert report.reassigned[alone] == lead.owner == s.get_one(Customer, lead.customer_id).owner


def test_contacted_api_records_the_first_contact_and_lateness(store: Engine, config: RoutingConfig) -> None:
    [lead_id] = add_leads(store, {"address": "上海市徐汇区"})
    process_new_leads(store, [lead_id], config=config, clock=lambda: T0)
    client = _client(store)
    late = (T0 + timedelta(hours=3)).isoformat()
    first = client.post(f"/routing/leads/{lead_id}/contacted", json={"at": late, "by": "user:li"}).json()
    assert first["on_time"] is False and first["already"] is False
    second = client.post(f"/routing/leads/{lead_id}/contacted", json={}).json()
    assert second["already"] is True and second["first_contact_at"] == first["first_contact_at"]
    assert client.post("/routing/leads/999999/contacted", json={}).status_code == 404
    assert client.get(f"/routing/leads/{lead_id}/explain").json()["contacted"]["on_time"] is False
    with session_scope(store) as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.stage == "contacted"
