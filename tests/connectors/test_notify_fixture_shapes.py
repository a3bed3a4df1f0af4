"""DingTalk, WeCom, Amap and Aliyun SMS behind a fixture transport that checks the request first (issue 23).

tests/connectors/test_vendor_conformance_minor.py serves these vendors' documented replies from a
transport that answers whatever it is sent; here the same documented requests (tests/fixtures/<vendor>/,
each file's source in the folder's README) are enforced by ``support.documented_transport``: the
client's request must conform, a request of another shape (method, path, query, body) is refused with
the vendor's error envelope, and a client refused for its shape fails loudly after one request.

The refusal envelopes are the vendors' shapes (the fixtures' replies); the codes are the vendors' codes
for a bad parameter as their error tables list them, not seen on a wire here: Amap 20000
INVALID_PARAMS (its info-code table), Aliyun ``MissingParameter`` (the POP common errors), DingTalk
40035 and WeCom 40058 (their global "invalid parameter" codes) — medium confidence, unsourced in the
fixture folders.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.aliyun_sms import AliyunSmsClient, AliyunSmsSettings
from connectors.amap import AmapClient, AmapSettings
from connectors.amap import budget as amap_budget
from connectors.dingtalk import DingTalkClient, DingTalkSettings
from connectors.dingtalk import markdown as dingtalk_markdown
from connectors.errors import ConnectorError, FatalError
from connectors.wecom import WeComClient, WeComSettings
from connectors.wecom import markdown as wecom_markdown

from .support import Documented, DocumentedTransport, documented_transport

FIXTURES = Path(__file__).parents[1] / "fixtures"


def load(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


ERRORS: dict[str, dict[str, Any]] = {
    "dingtalk": {"errcode": 40035, "errmsg": "request does not match the documented shape"},
    "wecom": {"errcode": 40058, "errmsg": "request does not match the documented shape"},
    "amap": {"status": "0", "info": "INVALID_PARAMS", "infocode": "20000"},
    "aliyun_sms": {"Code": "MissingParameter", "Message": "request does not match the documented shape",
                   "RequestId": "documented-transport"},
}  # fmt: skip


def _dingtalk_expected() -> Documented:
    wanted = load("dingtalk", "send_markdown.request.json")
    found = Documented.from_fixture(
        FIXTURES / "dingtalk/send_markdown.request.json", error=ERRORS["dingtalk"]
    )
    return replace(found, query=tuple(wanted["query_names"]))  # the fixture lists names, not values


def _aliyun_expected() -> Documented:
    """SendSms as the documented example sends it: GET / with its parameters (OutId and RegionId are
    optional) and the signature."""
    params = set(load("aliyun_sms", "sendsms_signature_example.json")["params"]) - {"OutId", "RegionId"}
    return Documented("GET", "/", query=(*sorted(params), "Signature"), error=ERRORS["aliyun_sms"])


EXPECT: dict[str, Documented] = {
    "dingtalk": _dingtalk_expected(),
    "wecom": Documented.from_fixture(FIXTURES / "wecom/send_markdown.request.json", error=ERRORS["wecom"]),
    "amap": replace(
        Documented.from_fixture(FIXTURES / "amap/geocode.request.json", error=ERRORS["amap"]),
        query=(*load("amap", "geocode.request.json")["query"], "sig"),  # signed: the private key is set
    ),
    "aliyun_sms": _aliyun_expected(),
}
REPLY = {
    "dingtalk": load("dingtalk", "reply_ok.json"),
    "wecom": load("wecom", "reply_ok.json"),
    "amap": load("amap", "geocode.reply.json"),
    "aliyun_sms": load("aliyun_sms", "reply_ok.json"),
}


def _dingtalk(transport: httpx.BaseTransport) -> None:
    robots = {"ortho": {"access_token": "dt-fixture-token", "secret": "SECfixture"}}
    settings = DingTalkSettings(robots=robots, retry_max_attempts=1)
    client = DingTalkClient(settings, transport=transport, clock=lambda: 1_700_000_000.0)
    body = load("dingtalk", "send_markdown.request.json")["body"]["markdown"]
    client.send("ortho", dingtalk_markdown(body["title"], body["text"]))


def _wecom(transport: httpx.BaseTransport) -> None:
    wanted = load("wecom", "send_markdown.request.json")
    client = WeComClient(WeComSettings(robots={"ortho": wanted["query"]["key"]}, retry_max_attempts=1),
                         transport=transport)  # fmt: skip
    client.send("ortho", wecom_markdown(wanted["body"]["markdown"]["content"]))


def _amap(transport: httpx.BaseTransport) -> None:
    wanted = load("amap", "geocode.request.json")
    amap_budget._budgets.clear()  # a fresh quota gate per client
    settings = AmapSettings(key=wanted["query"]["key"], private_key=wanted["signing"]["private_key"],
                            qps=1000.0, burst=100, retry_max_attempts=1)  # fmt: skip
    with AmapClient(settings, transport=transport) as client:
        client.geocode([wanted["query"]["address"]], city=wanted["query"]["city"])


def _aliyun_sms(transport: httpx.BaseTransport) -> None:
    settings = AliyunSmsSettings(access_key_id="testId", access_key_secret="testSecret",
                                 sign_name="阿里云短信测试专用", retry_max_attempts=1)  # fmt: skip
    AliyunSmsClient(settings, transport=transport).send("15300000001", "SMS_71390007", {"customer": "test"})


SEND: dict[str, Callable[[httpx.BaseTransport], None]] = {
    "dingtalk": _dingtalk,
    "wecom": _wecom,
    "amap": _amap,
    "aliyun_sms": _aliyun_sms,
}
VENDORS = list(SEND)
# every part of the request each vendor's documented request has: the two robots post a JSON body
CHANGES = [(v, c) for v in VENDORS for c in ("method", "path", "query")] + [
    ("dingtalk", "body"),
    ("wecom", "body"),
]


def _conforming(vendor: str) -> httpx.Request:
    transport = documented_transport(EXPECT[vendor], REPLY[vendor])
    SEND[vendor](transport)
    assert transport.seen and transport.refused == [], transport.refused
    return transport.seen[0]


def _reshaped(request: httpx.Request, vendor: str, change: str) -> httpx.Request:
    url, content, method = request.url, request.content, request.method
    if change == "method":
        method = "PUT" if method != "PUT" else "PATCH"
    elif change == "path":
        url = url.copy_with(path=url.path.rstrip("/") + "/v2")
    elif change == "query":  # drop a documented parameter (the last one the documentation names)
        url = url.copy_remove_param(EXPECT[vendor].query[-1])
    else:  # drop a documented key of the JSON body's nested object
        body = json.loads(content)
        key = next(k for k, v in body.items() if isinstance(v, dict) and v)
        body[key].pop(next(iter(body[key])))
        content = json.dumps(body, ensure_ascii=False).encode()
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(method, url, headers=headers, content=content)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_clients_request_has_the_documented_shape(vendor: str) -> None:
    request = _conforming(vendor)
    assert EXPECT[vendor].problems(request) == []


@pytest.mark.parametrize(("vendor", "change"), CHANGES)
def test_a_request_of_another_shape_gets_the_vendors_error(vendor: str, change: str) -> None:
    good = _conforming(vendor)
    transport: DocumentedTransport = documented_transport(EXPECT[vendor], REPLY[vendor])
    assert transport.handle_request(good).status_code == 200
    refused = transport.handle_request(_reshaped(good, vendor, change))
    assert refused.status_code == 400
    refused.read()
    assert refused.json() == ERRORS[vendor]
    assert len(transport.refused) == 1 and " ".join(transport.refused[0]).startswith(change)


@pytest.mark.parametrize(("vendor", "change"), CHANGES)
def test_a_client_refused_for_its_shape_fails_loudly(vendor: str, change: str) -> None:
    """The documented request changed under the client: it raises after one request, nothing sent twice."""
    documented = EXPECT[vendor]
    stricter = {
        "method": replace(documented, method="PUT"),
        "path": replace(documented, path=documented.path.rstrip("/") + "/v2"),
        "query": replace(documented, query=(*documented.query, "undocumented_param")),
        "body": replace(documented, body=(*documented.body, "undocumented_key")),
    }[change]
    transport = documented_transport(stricter, REPLY[vendor])
    with pytest.raises(ConnectorError) as err:
        SEND[vendor](transport)
    named = "MissingParameter" if vendor == "aliyun_sms" else "HTTP 400"  # Aliyun names its code
    assert type(err.value) is FatalError and named in str(err.value)
    assert transport.refused and len(transport.seen) == 1
