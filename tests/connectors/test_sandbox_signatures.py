"""The simulators' signature checks are their own (connectors/sandbox/vendor_signatures.py), so a
connector with a wrong algorithm fails against the sandbox. Known answers come from the vendors'
published worked examples where a vendor publishes one (Aliyun); where none is published (Amap,
DingTalk, YonBIP) the two independent implementations must agree on awkward inputs, and the YonBIP
value computed by the research (docs/research/yonbip.md T5) must come out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.aliyun_sms.signature import rpc_signature
from connectors.amap.client import amap_signature
from connectors.dingtalk.client import dingtalk_sign
from connectors.sandbox.vendor_signatures import aliyun_rpc, amap_sig, dingtalk_robot, yonbip_token
from connectors.yonyou.auth import bip_signature

FIXTURES = Path(__file__).parents[1] / "fixtures"
AWKWARD = ["plain", "空 格 和中文", "a+b=c&d", "~tilde*star'quote", "百分号%20", "emoji 😀", ""]


@pytest.mark.parametrize("name", ["sendsms_signature_example.json", "rpc_signature_example.json"])
def test_aliyun_documented_examples(name: str) -> None:
    example = json.loads((FIXTURES / "aliyun_sms" / name).read_text(encoding="utf-8"))
    assert aliyun_rpc(example["params"], example["access_key_secret"]) == example["signature"]
    assert rpc_signature(example["params"], example["access_key_secret"]) == example["signature"]


def test_the_simulators_refuse_a_wrong_signature() -> None:
    params = {"Action": "SendSms", "PhoneNumbers": "13800000000", "Timestamp": "2026-12-07T00:00:00Z"}
    good = aliyun_rpc(params, "secret")
    assert aliyun_rpc({**params, "PhoneNumbers": "13800000001"}, "secret") != good
    assert aliyun_rpc(params, "secret", method="POST") != good
    assert amap_sig({"address": "杭州", "key": "k"}, "pk") != amap_sig({"address": "杭州", "key": "k"}, "pk2")


@pytest.mark.parametrize("value", AWKWARD)
def test_independent_implementations_agree(value: str) -> None:
    query = {"address": value, "key": "k-1", "city": "杭州", "output": "JSON"}
    assert amap_sig(query, "private") == amap_signature(query, "private")
    assert amap_sig({**query, "sig": "ignored"}, "private") == amap_signature(query, "private")
    sms = {"Action": "SendSms", "TemplateParam": json.dumps({"v": value}, ensure_ascii=False), "A": value}
    assert aliyun_rpc(sms, "s3cret") == rpc_signature(sms, "s3cret")
    assert dingtalk_robot("1701234567890", f"SEC{value}") == dingtalk_sign(1701234567890, f"SEC{value}")
    assert yonbip_token(f"key{value}", "secret", "1700000000000") == bip_signature(
        f"key{value}", "secret", "1700000000000"
    )


def test_yonbip_research_example() -> None:
    documented = json.loads((FIXTURES / "yonyou" / "bip_sdk" / "access_token_request_query.json").read_text())
    wire = documented["signature"].replace("%3D", "=").replace("%2B", "+").replace("%2F", "/")
    assert yonbip_token("test-app-key", "test-app-secret", documented["timestamp"]) == wire
