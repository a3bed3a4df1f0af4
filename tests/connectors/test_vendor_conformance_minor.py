"""Ocean Engine, DingTalk, WeCom, Amap and Aliyun SMS against fixtures transcribed from their SDKs and
docs (tests/fixtures/<vendor>/, each file's source in the folder's README)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import ValidationError

from connectors.aliyun_sms import AliyunSmsClient, AliyunSmsSettings
from connectors.aliyun_sms.signature import canonical_query, pct, rpc_signature
from connectors.amap import AMAP_CODES, AmapClient, AmapSettings, QuotaExhaustedError, amap_signature
from connectors.amap import budget as amap_budget
from connectors.base import CursorState, TokenPair
from connectors.dingtalk import DingTalkClient, DingTalkSettings
from connectors.dingtalk import markdown as dingtalk_markdown
from connectors.dingtalk.errors import DINGTALK_CODES, THROTTLE_SECONDS, THROTTLED_CODES
from connectors.errors import (
    AuthExpiredError,
    ConnectorError,
    ErrorKind,
    FatalError,
    ReauthorizeError,
    RetriableError,
)
from connectors.incremental import CST
from connectors.ocean_engine import OceanEngineConnector, OceanEngineSettings
from connectors.ocean_engine.connector import OceanEngineRefresher
from connectors.ocean_engine.payloads import OceanEngineClue, OceanEngineEnvelope
from connectors.ocean_engine.streams import LEADS
from connectors.sandbox import RunningSandbox
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, dingtalk_secret, notify_state
from connectors.wecom import WeComClient, WeComSettings
from connectors.wecom import markdown as wecom_markdown
from connectors.wecom.errors import WECOM_CODES

from .support import END, harness, pull, records_of

FIXTURES = Path(__file__).parents[1] / "fixtures"
ADVERTISER = "1760000000000001"


def load(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


def replying(body: Any, seen: list[httpx.Request] | None = None, status: int = 200) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        return httpx.Response(status, json=body)

    return httpx.MockTransport(handler)


# --- Ocean Engine -------------------------------------------------------------------------------


def ocean(transport: httpx.BaseTransport | None = None, **overrides: Any) -> OceanEngineConnector:
    values: dict[str, Any] = {"base_url": "https://api.oceanengine.com", "advertiser_ids": [ADVERTISER],
                              "access_token": "FAKE_ACCESS_TOKEN_0001", "refresh_token": "rt",
                              "start_date": datetime(2026, 11, 20, tzinfo=CST), "retry_max_attempts": 1}  # fmt: skip
    return OceanEngineConnector(settings=OceanEngineSettings(**{**values, **overrides}), transport=transport)


def test_ocean_engine_request_is_the_sdk_request() -> None:
    wanted = load("ocean_engine", "sdk", "clue_get.request.json")
    start, end = datetime(2026, 11, 20, tzinfo=CST), datetime(2026, 11, 20, 23, 59, 59, tzinfo=CST)
    page = ocean().window_request(LEADS, ADVERTISER, start, end)
    assert page.params == {k: wanted["query"][k] for k in ("advertiser_ids", "start_time", "end_time")}
    assert json.loads(page.params["advertiser_ids"]) == wanted["query_decoded"]["advertiser_ids"]
    seen: list[httpx.Request] = []
    reply = load("ocean_engine", "sdk", "clue_get.reply.json")
    list(ocean(replying(reply, seen)).read("leads", ADVERTISER, CursorState(), END))
    request = seen[0]
    assert (request.method, request.url.path) == (wanted["method"], urlsplit(wanted["url"]).path)
    assert request.headers["Access-Token"] == wanted["headers"]["Access-Token"]
    query = dict(request.url.params)
    assert set(query) == set(wanted["query"])
    assert query["advertiser_ids"] == wanted["query"]["advertiser_ids"]
    assert query["page"] == "1" and int(query["page_size"]) <= 100


def test_ocean_engine_sdk_reply_parses_with_the_sdk_types() -> None:
    reply = load("ocean_engine", "sdk", "clue_get.reply.json")
    OceanEngineEnvelope.model_validate(reply)
    records = records_of(list(ocean(replying(reply)).read("leads", ADVERTISER, CursorState(), END)))
    assert [r.payload for r in records] == reply["data"]["list"]
    clue = OceanEngineClue.model_validate(records[0].payload)
    assert (clue.advertiser_id, clue.ad_id, clue.clue_id) == ("1760000000000001", "1700000000000001",
                                                               "7301234567890123456")  # fmt: skip
    assert (clue.clue_source, clue.clue_type, clue.allocation_status) == (1, 0, 0)
    assert records[0].cursor_value == "2026-11-20T10:21:33+08:00"


def test_ocean_engine_model_refuses_a_text_clue_source_and_reads_numeric_ids_as_text() -> None:
    base = {"clue_id": "1", "create_time_detail": "2026-11-20 10:21:33", "advertiser_id": "1"}
    with pytest.raises(ValidationError):
        OceanEngineClue.model_validate({**base, "clue_source": "抖音"})
    clue = OceanEngineClue.model_validate({**base, "advertiser_id": 1760000000000001, "ad_id": 17})
    assert (clue.advertiser_id, clue.ad_id) == ("1760000000000001", "17")


def test_ocean_engine_refresh_request_and_reply_follow_the_sdk() -> None:
    wanted = load("ocean_engine", "sdk", "refresh_token.request.json")
    settings = OceanEngineSettings(base_url="https://api.oceanengine.com", app_id="1700000000000009",
                                   app_secret="FAKE_APP_SECRET")  # fmt: skip
    request = OceanEngineRefresher(settings).request(TokenPair("old", "FAKE_REFRESH_TOKEN_0001"))
    assert (request.method, str(request.url)) == (wanted["method"], wanted["url"])
    assert json.loads(request.content) == wanted["body"]
    reply = httpx.Response(200, json=load("ocean_engine", "sdk", "refresh_token.reply.json"))
    pair = OceanEngineRefresher(settings).parse(reply, TokenPair("old", "FAKE_REFRESH_TOKEN_0001"))
    assert (pair.access_token, pair.refresh_token) == ("fixture-oe-access-3", "fixture-oe-refresh-3")


@pytest.mark.parametrize(
    ("code", "expected"),
    [(40100, RetriableError), (50000, RetriableError), (40102, AuthExpiredError), (40105, AuthExpiredError),
     (40103, ReauthorizeError), (40000, FatalError), (40002, FatalError), (40104, FatalError)],
)  # fmt: skip
def test_ocean_engine_codes_map_as_the_readme_says(code: int, expected: type[ConnectorError]) -> None:
    error = ocean().classify({"code": code, "message": "x", "request_id": "r", "data": {}})
    assert type(error) is expected and error.code == code


def test_ocean_engine_sandbox_sends_the_sdk_types_and_refuses_a_missing_advertiser(
    sandbox: RunningSandbox,
) -> None:
    h = harness(sandbox, "ocean_engine")
    records = records_of(pull(h.connector, "leads", ADVERTISER))
    assert records
    for record in records:
        assert isinstance(record.payload["advertiser_id"], str)
        assert isinstance(record.payload.get("clue_source", 0), int)
        OceanEngineClue.model_validate(record.payload)
    token = sandbox.state.tokens["ocean_engine"].access_token
    refused = httpx.get(f"{sandbox.base_url}{LEADS.path}", headers={"Access-Token": token},
                        params={"start_time": "2026-11-01", "end_time": "2026-11-02"})  # fmt: skip
    assert refused.json()["code"] == 40000


# --- DingTalk -----------------------------------------------------------------------------------


def dingtalk(transport: httpx.BaseTransport, now: float = 1_700_000_000.0) -> DingTalkClient:
    robots = {"ortho": {"access_token": "dt-fixture-token", "secret": "SECfixture"}}
    settings = DingTalkSettings(base_url="https://oapi.dingtalk.com", robots=robots, retry_max_attempts=1)
    return DingTalkClient(settings, transport=transport, clock=lambda: now)


def test_dingtalk_request_is_the_documented_shape_and_sign() -> None:
    wanted = load("dingtalk", "send_markdown.request.json")
    seen: list[httpx.Request] = []
    message = dingtalk_markdown(wanted["body"]["markdown"]["title"], wanted["body"]["markdown"]["text"])
    assert message == wanted["body"]
    dingtalk(replying(load("dingtalk", "reply_ok.json"), seen)).send("ortho", message)
    request = seen[0]
    assert (request.method, str(request.url.copy_with(query=None))) == (wanted["method"], wanted["url"])
    query = parse_qs(request.url.query.decode())
    assert sorted(query) == sorted(wanted["query_names"])
    assert query["timestamp"] == ["1700000000000"]
    digest = hmac.new(b"SECfixture", b"1700000000000\nSECfixture", hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    assert json.loads(request.content) == wanted["body"]


@pytest.mark.parametrize("name", ["reply_130101.json", "reply_90030.json"])
def test_dingtalk_rate_limit_replies_are_held_not_dropped(name: str) -> None:
    reply = load("dingtalk", name)
    seen: list[httpx.Request] = []
    result = dingtalk(replying(reply, seen)).send("ortho", dingtalk_markdown("t", "x"))
    assert (result.sent, result.throttled, result.code) == (False, True, reply["errcode"])
    assert len(seen) == 1  # reported, not retried in a loop
    entry = DINGTALK_CODES.codes[reply["errcode"]]
    assert entry.kind is ErrorKind.RETRY and entry.retry_after == THROTTLE_SECONDS == 600.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [("reply_310000_sign.json", FatalError), ("reply_310000_keywords.json", FatalError),
     ("reply_300001.json", FatalError), ("reply_minus1.json", RetriableError)],
)  # fmt: skip
def test_dingtalk_error_replies_map_to_what_to_do_next(name: str, expected: type[ConnectorError]) -> None:
    reply = load("dingtalk", name)
    with pytest.raises(expected) as caught:
        dingtalk(replying(reply)).send("ortho", dingtalk_markdown("t", "x"))
    assert caught.value.code == reply["errcode"] and reply["errcode"] not in THROTTLED_CODES


def _signed(token: str, secret: str, now_ms: int) -> dict[str, str]:
    digest = hmac.new(secret.encode(), f"{now_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return {"access_token": token, "timestamp": str(now_ms), "sign": base64.b64encode(digest).decode()}


def test_dingtalk_sandbox_refuses_what_dingtalk_refuses(sandbox: RunningSandbox) -> None:
    notify_state(sandbox.state).reset()
    url = f"{sandbox.base_url}/robot/send"
    token = NOTIFY_CREDENTIALS["dingtalk"]["token_prefix"] + "conformance"
    body = dingtalk_markdown("t", "x")
    now_ms = int(datetime.now().timestamp() * 1000)
    assert httpx.post(url, params={"access_token": "nope"}, json=body).json()["errcode"] == 300001
    bad = {**_signed(token, dingtalk_secret(token), now_ms), "sign": "AAAA"}
    assert httpx.post(url, params=bad, json=body).json()["errcode"] == 310000
    stale = _signed(token, dingtalk_secret(token), now_ms - 2 * 3_600_000)
    assert httpx.post(url, params=stale, json=body).json() == {
        "errcode": 310000,
        "errmsg": "invalid timestamp",
    }
    codes = [httpx.post(url, params=_signed(token, dingtalk_secret(token), now_ms), json=body).json()["errcode"]
             for _ in range(21)]  # fmt: skip
    assert codes[:20] == [0] * 20 and codes[20] == 130101
    notify_state(sandbox.state).reset()


# --- WeCom --------------------------------------------------------------------------------------


def wecom(transport: httpx.BaseTransport) -> WeComClient:
    key = load("wecom", "send_markdown.request.json")["query"]["key"]
    return WeComClient(WeComSettings(robots={"ortho": key}, retry_max_attempts=1), transport=transport)


def test_wecom_request_is_the_documented_shape() -> None:
    wanted = load("wecom", "send_markdown.request.json")
    seen: list[httpx.Request] = []
    message = wecom_markdown(wanted["body"]["markdown"]["content"])
    assert message == wanted["body"]
    wecom(replying(load("wecom", "reply_ok.json"), seen)).send("ortho", message)
    request = seen[0]
    assert (request.method, str(request.url.copy_with(query=None))) == (wanted["method"], wanted["url"])
    assert dict(request.url.params) == wanted["query"]
    assert json.loads(request.content) == wanted["body"]


def test_wecom_replies_map_to_what_to_do_next() -> None:
    throttled = wecom(replying(load("wecom", "reply_45009.json"))).send("ortho", wecom_markdown("x"))
    assert (throttled.sent, throttled.throttled, throttled.code) == (False, True, 45009)
    assert WECOM_CODES.kind_of(45009) is ErrorKind.RETRY
    with pytest.raises(FatalError):
        wecom(replying(load("wecom", "reply_93000.json"))).send("ortho", wecom_markdown("x"))
    with pytest.raises(RetriableError):
        wecom(replying(load("wecom", "reply_minus1.json"))).send("ortho", wecom_markdown("x"))


def test_wecom_sandbox_refuses_an_unknown_key_and_the_21st_message(sandbox: RunningSandbox) -> None:
    notify_state(sandbox.state).reset()
    url = f"{sandbox.base_url}/cgi-bin/webhook/send"
    key = NOTIFY_CREDENTIALS["wecom"]["key_prefix"] + "conformance"
    assert httpx.post(url, params={"key": "nope"}, json=wecom_markdown("x")).json()["errcode"] == 93000
    codes = [
        httpx.post(url, params={"key": key}, json=wecom_markdown("x")).json()["errcode"] for _ in range(21)
    ]
    assert codes[:20] == [0] * 20 and codes[20] == 45009
    notify_state(sandbox.state).reset()


# --- Amap ---------------------------------------------------------------------------------------


def amap(transport: httpx.BaseTransport, private_key: str | None = None) -> AmapClient:
    amap_budget._budgets.clear()
    settings = AmapSettings(key="FAKE_WEB_SERVICE_KEY", private_key=private_key, qps=1000.0, burst=100,
                            retry_max_attempts=1)  # fmt: skip
    return AmapClient(settings, transport=transport)


def test_amap_request_is_the_documented_shape_with_sig() -> None:
    wanted = load("amap", "geocode.request.json")
    seen: list[httpx.Request] = []
    private = wanted["signing"]["private_key"]
    with amap(replying(load("amap", "geocode.reply.json"), seen), private) as client:
        client.geocode([wanted["query"]["address"]], city=wanted["query"]["city"])
    request = seen[0]
    assert (request.method, str(request.url.copy_with(query=None))) == (wanted["method"], wanted["url"])
    query = dict(request.url.params)
    sig = query.pop("sig")
    assert query == wanted["query"]
    text = "&".join(f"{k}={wanted['query'][k]}" for k in sorted(wanted["query"])) + private
    assert sig == hashlib.md5(text.encode()).hexdigest() == amap_signature(wanted["query"], private)


def test_amap_documented_reply_parses_to_a_result() -> None:
    with amap(replying(load("amap", "geocode.reply.json"))) as client:
        [result] = client.geocode(["万国博览建筑群"], city="shanghai")
    assert result is not None
    assert (result.adcode, result.province, result.city, result.district, result.level) == (
        "310101", "上海市", "上海市", "黄浦区", "兴趣点")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "expected"),
    [("error_10001.json", FatalError), ("error_10007.json", FatalError), ("error_10004.json", RetriableError),
     ("error_10003.json", QuotaExhaustedError)],
)  # fmt: skip
def test_amap_documented_errors_map_to_what_to_do_next(name: str, expected: type[ConnectorError]) -> None:
    with amap(replying(load("amap", name))) as client, pytest.raises(expected):
        client.geocode(["北京市朝阳区阜通东大街6号"])


def test_amap_too_frequent_waits_for_the_next_minute_as_documented() -> None:
    assert AMAP_CODES.codes["10004"].retry_after == 60.0


# --- Aliyun SMS ---------------------------------------------------------------------------------


def test_aliyun_signature_reproduces_the_documented_sendsms_example() -> None:
    example = load("aliyun_sms", "sendsms_signature_example.json")
    params = example["params"]
    assert canonical_query(params) == example["canonical_query"]
    assert f"GET&{pct('/')}&{pct(canonical_query(params))}" == example["string_to_sign"]
    assert rpc_signature(params, example["access_key_secret"]) == example["signature"]


def test_aliyun_signature_reproduces_the_rpc_doc_example() -> None:
    example = load("aliyun_sms", "rpc_signature_example.json")
    assert rpc_signature(example["params"], example["access_key_secret"]) == example["signature"]


def sms(transport: httpx.BaseTransport) -> AliyunSmsClient:
    settings = AliyunSmsSettings(access_key_id="testId", access_key_secret="testSecret", sign_name="阿里云短信测试专用",
                                 retry_max_attempts=1)  # fmt: skip
    return AliyunSmsClient(settings, transport=transport)


def test_aliyun_request_carries_the_documented_parameters_and_a_valid_signature() -> None:
    seen: list[httpx.Request] = []
    sms(replying(load("aliyun_sms", "reply_ok.json"), seen)).send("15300000001", "SMS_71390007",
                                                                  {"customer": "test"})  # fmt: skip
    query = {k: v[0] for k, v in parse_qs(seen[0].url.query.decode(), keep_blank_values=True).items()}
    wanted = set(load("aliyun_sms", "sendsms_signature_example.json")["params"]) - {"OutId", "RegionId"}
    assert set(query) == wanted | {"Signature"}
    assert query["Format"] == "JSON" and query["SignatureMethod"] == "HMAC-SHA1"
    assert query["Signature"] == rpc_signature(query, "testSecret")


@pytest.mark.parametrize(
    ("name", "status", "outcome"),
    [("reply_ok.json", 200, "sent"), ("reply_business_limit.json", 200, "limited"),
     ("reply_day_limit.json", 200, "limited"), ("reply_signature_mismatch.json", 403, FatalError),
     ("reply_invalid_key.json", 400, FatalError), ("reply_throttling.json", 400, RetriableError)],
)  # fmt: skip
def test_aliyun_documented_replies_map_to_what_to_do_next(name: str, status: int, outcome: Any) -> None:
    transport = replying(load("aliyun_sms", name), status=status)
    if isinstance(outcome, type):
        with pytest.raises(outcome):
            sms(transport).send("15300000001", "SMS_71390007", {})
        return
    result = sms(transport).send("15300000001", "SMS_71390007", {})
    assert result.sent is (outcome == "sent") and result.limited is (outcome == "limited")


def test_aliyun_sandbox_answers_common_errors_with_the_documented_statuses(sandbox: RunningSandbox) -> None:
    notify_state(sandbox.state).reset()
    creds = NOTIFY_CREDENTIALS["aliyun_sms"]
    params = {"Action": "SendSms", "AccessKeyId": "LTAIunknown", "Signature": "x"}
    unknown = httpx.get(f"{sandbox.base_url}/", params=params)
    assert (unknown.status_code, unknown.json()["Code"]) == (400, "InvalidAccessKeyId.NotFound")
    forged = httpx.get(f"{sandbox.base_url}/", params={**params, "AccessKeyId": creds["access_key_id"]})
    assert (forged.status_code, forged.json()["Code"]) == (403, "SignatureDoesNotMatch")
