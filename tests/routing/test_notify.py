"""Notifications: robot limits respected with a digest (never dropped), SMS per-number limits,
signatures verified by the sandbox, phones masked."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.dingtalk import DingTalkClient, DingTalkSettings, markdown
from connectors.errors import FatalError
from connectors.sandbox import RunningSandbox
from connectors.sandbox.notify_state import NotifyState
from core.models.routing import NotificationLog
from services.notify import NotificationService, Senders, enqueue
from store.engine import session_scope
from tests.routing.conftest import T0


def _owe(
    store: Engine, n: int, channel: str = "dingtalk", target: str = "east", recipient: str | None = None,
    tag: str = "",
) -> None:  # fmt: skip
    with session_scope(store) as s:
        for i in range(n):
            context = {"lead_id": 1000 + i, "company": f"公司{i}", "phone": "138****5678", "link": "x"}
            enqueue(
                s,
                "new_lead",
                channel,
                target,
                context,
                key=f"k:{channel}:{target}:{i}:{tag}",
                recipient=recipient,
            )


def _rows(store: Engine) -> list[NotificationLog]:
    with session_scope(store) as s:
        return list(s.scalars(select(NotificationLog).order_by(NotificationLog.id)).all())


def test_robot_limit_is_respected_by_a_digest(store: Engine, senders: Senders, sim: NotifyState) -> None:
    _owe(store, 25)
    clock = [T0]
    service = NotificationService(store, senders, clock=lambda: clock[0])
    report = service.dispatch()
    assert (report.sent, report.digests, report.folded) == (19, 1, 6)
    assert sim.stats["dingtalk"]["messages"] == 20 and sim.stats["dingtalk"]["rate_limited"] == 0
    digest = sim.messages["dingtalk"][-1]["markdown"]["text"]
    assert "6 条提醒" in digest and "公司24" in digest
    # five more in the same minute: no free slot, they wait; a minute later they go as one digest
    _owe(store, 5, tag="more")
    assert service.dispatch().waiting == 5
    sim.reset()  # the sandbox's own window is real time; ours is the frozen clock
    clock[0] = T0 + timedelta(seconds=61)
    later = service.dispatch()
    assert later.sent == 5 and later.waiting == 0
    rows = _rows(store)
    assert {r.status for r in rows} <= {"sent", "digested"}  # nothing dropped
    assert all(r.digest_id for r in rows if r.status == "digested")


def test_vendor_throttle_folds_instead_of_retrying(store: Engine, senders: Senders, sim: NotifyState) -> None:
    sim.faults["dingtalk"].rate_limit_code = 1
    _owe(store, 3)
    report = NotificationService(store, senders, clock=lambda: T0).dispatch()
    assert report.sent == 0 and report.waiting == 3 and sim.stats["dingtalk"]["requests"] == 1
    # DingTalk blocks a throttled robot for ten minutes: inside the block nothing is sent (a send
    # there would prolong it), after it everything goes.
    blocked = NotificationService(store, senders, clock=lambda: T0 + timedelta(seconds=5)).dispatch()
    assert blocked.sent == 0 and blocked.waiting == 3 and sim.stats["dingtalk"]["requests"] == 1
    again = NotificationService(store, senders, clock=lambda: T0 + timedelta(seconds=601)).dispatch()
    assert again.sent == 3 and sim.stats["dingtalk"]["requests"] == 4


def test_sms_per_number_limit_folds_into_one_later_message(
    store: Engine, senders: Senders, sim: NotifyState
) -> None:
    _owe(store, 3, channel="sms", target="wang", recipient="+8613900000001")
    first = NotificationService(store, senders, clock=lambda: T0).dispatch()
    assert first.digests == 1 and first.folded == 3 and sim.stats["aliyun_sms"]["messages"] == 1
    assert sim.messages["aliyun_sms"][0]["params"] == {"count": "3"}
    _owe(store, 1, channel="sms", target="wang", recipient="+8613900000001", tag="b")
    assert (
        NotificationService(store, senders, clock=lambda: T0 + timedelta(seconds=30)).dispatch().waiting == 1
    )
    sim.reset()
    later = NotificationService(store, senders, clock=lambda: T0 + timedelta(seconds=61)).dispatch()
    assert later.sent == 1 and sim.stats["aliyun_sms"]["bad_signature"] == 0
    masked = [r.target for r in _rows(store) if r.channel == "sms"]
    assert set(masked) == {"+86139****0001"}


def test_provider_limit_code_is_not_retried(store: Engine, senders: Senders, sim: NotifyState) -> None:
    sim.faults["aliyun_sms"].per_minute = 0
    _owe(store, 1, channel="sms", target="wang", recipient="+8613900000001")
    report = NotificationService(store, senders, clock=lambda: T0).dispatch()
    assert report.waiting == 1 and sim.stats["aliyun_sms"]["requests"] == 1


def test_sandbox_rejects_a_wrong_dingtalk_secret(sandbox: RunningSandbox, sim: NotifyState) -> None:
    settings = DingTalkSettings(base_url=sandbox.base_url, retry_max_attempts=1,
                                robots={"east": {"access_token": "dt-sandbox-east", "secret": "SECwrong-secret"}})  # fmt: skip
    with DingTalkClient(settings) as client, pytest.raises(FatalError, match="310000"):
        client.send("east", markdown("t", "x"))
    assert sim.stats["dingtalk"]["bad_signature"] == 1


def test_messages_carry_no_full_phone(store: Engine, senders: Senders, sim: NotifyState) -> None:
    _owe(store, 2, channel="wecom", target="east")
    NotificationService(store, senders, clock=lambda: T0).dispatch()
    text = json.dumps(sim.messages["wecom"], ensure_ascii=False)
    assert "138****5678" in text and "13812345678" not in text


def test_a_message_is_owed_once_whether_or_not_it_was_flushed(store: Engine) -> None:
    context = {"lead_id": 7, "company": "公司", "phone": "138****5678", "link": "x"}
    with session_scope(store) as s:
        assert enqueue(s, "new_lead", "dingtalk", "east", context, key="once") is not None
        assert enqueue(s, "new_lead", "dingtalk", "east", context, key="once") is None  # pending
        s.flush()
        assert enqueue(s, "new_lead", "dingtalk", "east", context, key="once") is None  # flushed
    with session_scope(store) as s:
        assert enqueue(s, "new_lead", "dingtalk", "east", context, key="once") is None  # committed
    assert [r.business_key for r in _rows(store)] == ["once"]
