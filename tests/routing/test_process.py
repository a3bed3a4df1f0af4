"""process_new_leads end to end on the store and the sandbox: geocode, route, ledger, notify."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from audit.verify import verify_ledger
from connectors.amap import AmapClient
from connectors.sandbox.notify_state import NotifyState
from core.models import Lead
from core.models.routing import NotificationLog, RoutingRuleSet
from services.notify import Senders
from services.routing import RoutingConfig, explain_lead, format_explanation, process_new_leads
from store.engine import session_scope
from tests.routing.conftest import T0, add_leads

PHONE = "+8613812345678"


def test_batch_is_geocoded_routed_audited_and_notified(
    store: Engine, amap: AmapClient, senders: Senders, config: RoutingConfig, sim: NotifyState,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    ids = add_leads(
        store,
        {
            "address": "杭州市西湖区文三路478号",
            "company": "杭州某医院",
            "budget_max": 800_000,
            "contact_name": "张三",
            "products": ["ortho_consumables"],
        },
        {"address": "朝阳区望京SOHO", "city_hint": "北京", "products": ["ortho_consumables", "ivd_reagents"]},
        {"address": "杭州市文一西路969号", "remark": "请立即报价"},
        {"address": "江苏省南京市鼓楼区", "company": "南京某器械公司"},
    )
    report = process_new_leads(store, ids, config=config, geocoder=amap, senders=senders, clock=lambda: T0)
    assert report.routed == 4 and report.unassigned == 0
    assert report.geocode.offline == 3 and report.geocode.sent == 1  # only 文一西路 went to Amap
    with session_scope(store) as s:
        leads = {lead.id: lead for lead in s.scalars(select(Lead).where(Lead.id.in_(ids))).all()}
        assert leads[ids[0]].health == "red" and leads[ids[0]].stage == "assigned"
        assert leads[ids[1]].team == "ortho" and leads[ids[1]].owner == "wu"  # the ortho lead's pool
        assert (
            leads[ids[2]].sla_due_at is not None and (leads[ids[2]].sla_due_at - T0).total_seconds() == 1800
        )
        assert {lead.team for lead in leads.values()} == {"east", "ortho"}
        events = s.scalars(select(AuditLog).where(AuditLog.action == "route")).all()
        assert {e.entity_id for e in events} == {str(i) for i in ids}
        assert all(
            json.loads(e.changes)["event"]["files"]["rules"] == config.rules.source.digest for e in events
        )
        assert s.scalar(select(RoutingRuleSet.id).where(RoutingRuleSet.digest == config.rules.source.digest))
        sent = s.scalars(select(NotificationLog)).all()
    assert verify_ledger(store).ok
    # high budget -> DingTalk to the east robot and an SMS to its team lead; urgent -> DingTalk
    assert sorted((n.channel, n.event, n.status) for n in sent) == [
        ("dingtalk", "high_budget", "sent"),
        ("dingtalk", "urgent", "sent"),
        ("sms", "high_budget", "sent"),
    ]
    assert sim.stats["dingtalk"]["messages"] == 2 and sim.stats["dingtalk"]["bad_signature"] == 0
    assert sim.stats["aliyun_sms"]["messages"] == 1 and sim.stats["aliyun_sms"]["bad_signature"] == 0
    delivered = json.dumps(sim.messages, ensure_ascii=False)
    assert "138****5678" in delivered and PHONE[3:] not in delivered and "张*" in delivered
    assert PHONE[3:] not in caplog.text and "13900000001" not in caplog.text


def test_explain_shows_the_rule_and_why(store: Engine, config: RoutingConfig) -> None:
    [lead_id] = add_leads(
        store, {"address": "北京朝阳区", "products": ["ortho_consumables", "surgical_instruments"]}
    )
    process_new_leads(store, [lead_id], config=config, clock=lambda: T0)
    data = explain_lead(store, lead_id)
    assert data["decision"]["rule"] == "ortho-interest" and data["decision"]["owner"] == "wu"
    text = format_explanation(data)
    assert "[FIRED] ortho-interest" in text and "product interest 4" in text


def test_round_robin_and_reprocessing_is_a_no_op(store: Engine, config: RoutingConfig) -> None:
    # four different buyers (four customers): round robin; one buyer's leads would all go to one owner
    ids = add_leads(
        store, *({"address": "上海市徐汇区漕溪北路", "phone": f"+861380000770{i}"} for i in range(4))
    )
    process_new_leads(store, ids, config=config, clock=lambda: T0)
    again = process_new_leads(store, ids, config=config, clock=lambda: T0)
    with session_scope(store) as s:
        owners = [lead.owner for lead in s.scalars(select(Lead).where(Lead.id.in_(ids)).order_by(Lead.id))]
    assert owners == ["li", "chen", "li", "chen"]
    assert again.leads == 0


def test_awaiting_geocode_leads_are_still_routed_by_what_is_known(
    store: Engine, amap: AmapClient, config: RoutingConfig, sim: NotifyState
) -> None:
    sim.faults["amap"].quota_exhausted = True
    [lead_id] = add_leads(store, {"address": "杭州市文一西路969号"})
    report = process_new_leads(store, [lead_id], config=config, geocoder=amap, clock=lambda: T0)
    with session_scope(store) as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.geocode_status == "awaiting_geocode" and lead.adcode == "330100"
        assert lead.team == "east"  # Hangzhou is known offline: the territory needs no district
    assert report.geocode.awaiting == 1
