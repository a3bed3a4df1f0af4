"""Each connector against copies of its vendor's documented replies (tests/fixtures/<vendor>/), served by
a transport that first checks the request against the vendor's documented one (method, path, query,
headers, body keys) and refuses any other shape with the vendor's own error, as the vendor would."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from connectors.baidu import BaiduSettings
from connectors.baidu.connector import BaiduRefresher
from connectors.baidu.payloads import BaiduEnvelope
from connectors.base import CursorState, TokenPair
from connectors.errors import AuthExpiredError, ConnectorError, FatalError, ReauthorizeError, RetriableError
from connectors.incremental import CST
from connectors.ocean_engine.connector import OceanEngineRefresher
from connectors.ocean_engine.payloads import OceanEngineEnvelope
from connectors.registry import source_connector_class
from connectors.settings import ConnectorSettings
from connectors.tencent_ads.payloads import TencentAdsEnvelope

from .support import END, VENDOR_ERRORS, Documented, documented_transport

FIXTURES = Path(__file__).parents[1] / "fixtures"
ACCOUNT = {"ocean_engine": ("advertiser_ids", "1760000000000001"), "tencent_ads": ("account_ids", "20458001"),
           "baidu": ("user_names", "zhilian-sem")}  # fmt: skip
PAGE: dict[str, tuple[str, str, type[BaseModel]]] = {"ocean_engine": ("clue_get.json", "data.list", OceanEngineEnvelope),
        "tencent_ads": ("sdk/lead_clues_get.reply.json", "data.leads_info", TencentAdsEnvelope),
        "baidu": ("get_notice_list.json", "body.data.0.noticeDetailList", BaiduEnvelope),
        }  # fmt: skip
# The documented request of each page above (the fixture READMEs name the sources). Baidu's fixture is
# the bare body; its method and URL are in tests/fixtures/baidu/sdk/README.md.
BAIDU_URL = "https://api.baidu.com/json/sms/service/LeadsNoticeService/getNoticeList"
EXPECT: dict[str, Documented] = {
    "ocean_engine": Documented.from_fixture(FIXTURES / "ocean_engine/sdk/clue_get.request.json",
                                            error=VENDOR_ERRORS["ocean_engine"]),
    "tencent_ads": Documented.from_fixture(FIXTURES / "tencent_ads/sdk/lead_clues_get.request.json",
                                           error=VENDOR_ERRORS["tencent_ads"]),
    "baidu": Documented.from_fixture(FIXTURES / "baidu/sdk/get_notice_list_request.json", method="POST",
                                     url=BAIDU_URL, error=VENDOR_ERRORS["baidu"]),
}  # fmt: skip
# Settings that make each connector speak the documented request (Tencent's page is the v1.3 endpoint).
PAGE_SETTINGS: dict[str, dict[str, Any]] = {"tencent_ads": {"api_version": "v1.3", "page_size": 10}}
ERRORS = [
    ("ocean_engine", "error_40100.json", RetriableError),
    ("ocean_engine", "error_40002.json", FatalError),
    ("ocean_engine", "error_40103.json", ReauthorizeError),
    ("tencent_ads", "sdk/leads_list_get.error_11017.reply.json", RetriableError),
    ("tencent_ads", "sdk/leads_list_get.error_11002.reply.json", ReauthorizeError),
    ("baidu", "error_421.json", RetriableError),
    ("baidu", "sdk/get_notice_list_response_token_error.json", AuthExpiredError),
    ("baidu", "error_800.json", RetriableError),
    ("baidu", "error_8101.json", FatalError),
    ("baidu", "error_801.json", FatalError),
]


def load(vendor: str, name: str) -> Any:
    return json.loads((FIXTURES / vendor / name).read_text(encoding="utf-8"))


def settings(vendor: str, **overrides: Any) -> ConnectorSettings:
    field, account = ACCOUNT[vendor]
    values: dict[str, Any] = {"base_url": "https://vendor.test", field: [account], "access_token": "tok-fixture",
                              "refresh_token": "rt-fixture", "start_date": datetime(2026, 11, 1, tzinfo=CST),
                              "retry_max_attempts": 1}  # fmt: skip
    return source_connector_class(vendor).settings_class(**{**values, **overrides})


@pytest.mark.parametrize("vendor", list(PAGE))
def test_a_documented_page_becomes_records_exactly_as_sent(vendor: str) -> None:
    name, path, envelope = PAGE[vendor]
    reply = load(vendor, name)
    envelope.model_validate(reply)
    cls = source_connector_class(vendor)
    transport = documented_transport(EXPECT[vendor], reply)
    connector = cls(settings=settings(vendor, **PAGE_SETTINGS.get(vendor, {})), transport=transport)
    records = [r for p in connector.read("leads", ACCOUNT[vendor][1], CursorState(), END) for r in p.records]
    assert transport.seen and transport.refused == []  # every request had the documented shape
    sent = reply
    for part in path.split("."):
        sent = sent[int(part)] if part.isdigit() else sent[part]
    assert [r.payload for r in records] == sent
    model: type[BaseModel] = cls.stream_list[0].payload_model
    for record in records:
        model.model_validate(record.payload)
        assert record.cursor_value and record.cursor_value.endswith("+08:00")


def _conforming(vendor: str) -> httpx.Request:
    """The request the connector really sends for its first page (accepted by the documented transport)."""
    name = PAGE[vendor][0]
    transport = documented_transport(EXPECT[vendor], load(vendor, name))
    connector = source_connector_class(vendor)(
        settings=settings(vendor, **PAGE_SETTINGS.get(vendor, {})), transport=transport
    )
    next(iter(connector.read("leads", ACCOUNT[vendor][1], CursorState(), END)))
    assert transport.refused == []
    return transport.seen[0]


def _reshaped(request: httpx.Request, change: str) -> httpx.Request:
    url, content, method = request.url, request.content, request.method
    if change == "method":
        method = "PUT"
    elif change == "path":
        url = url.copy_with(path=url.path.rstrip("/") + "-v2")
    elif change == "query":
        url = url.copy_remove_param(next(iter(url.params.keys())))
    else:  # drop a documented body key (the first nested one when there is one)
        body = json.loads(content)
        key = next(k for k, v in body.items() if isinstance(v, dict) and v)
        body[key].pop(next(iter(body[key])))
        content = json.dumps(body).encode()
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(method, url, headers=headers, content=content)


RESHAPED = [("ocean_engine", "method"), ("ocean_engine", "path"), ("ocean_engine", "query"),
            ("tencent_ads", "method"), ("tencent_ads", "path"), ("tencent_ads", "query"), ("tencent_ads", "body"),
            ("baidu", "method"), ("baidu", "path"), ("baidu", "body")]  # fmt: skip


@pytest.mark.parametrize(("vendor", "change"), RESHAPED)
def test_a_request_of_another_shape_gets_the_vendors_error(vendor: str, change: str) -> None:
    good = _conforming(vendor)
    transport = documented_transport(EXPECT[vendor], load(vendor, PAGE[vendor][0]))
    assert transport.handle_request(good).status_code == 200
    refused = transport.handle_request(_reshaped(good, change))
    assert refused.status_code == 400
    refused.read()
    assert refused.json() == VENDOR_ERRORS[vendor]
    assert len(transport.refused) == 1 and " ".join(transport.refused[0]).startswith(change)


@pytest.mark.parametrize(("vendor", "change"), RESHAPED)
def test_a_connector_refused_for_its_shape_fails_loudly(vendor: str, change: str) -> None:
    """The documented request changed under the connector: it must raise, not land an empty page."""
    documented = EXPECT[vendor]
    stricter = {
        "method": replace(documented, method="PUT"),
        "path": replace(documented, path=documented.path + "-v2"),
        "query": replace(documented, query=(*documented.query, "undocumented_param")),
        "body": replace(documented, body=(*documented.body, "undocumented_key")),
    }[change]
    transport = documented_transport(stricter, load(vendor, PAGE[vendor][0]))
    connector = source_connector_class(vendor)(
        settings=settings(vendor, **PAGE_SETTINGS.get(vendor, {})), transport=transport
    )
    with pytest.raises(ConnectorError) as err:
        list(connector.read("leads", ACCOUNT[vendor][1], CursorState(), END))
    assert type(err.value) is FatalError and "400" in str(err.value)
    assert transport.refused and len(transport.seen) == 1  # refused once, not retried, nothing landed


@pytest.mark.parametrize(("vendor", "name", "expected"), ERRORS)
def test_documented_error_replies_map_to_what_to_do_next(
    vendor: str, name: str, expected: type[ConnectorError]
) -> None:
    reply = load(vendor, name)
    code = reply["code"] if "code" in reply else reply["header"]["failures"][0]["code"]
    error = source_connector_class(vendor)(settings=settings(vendor)).classify(reply)
    assert type(error) is expected
    assert error.code == code and f"vendor code {code}" in str(error)


def test_baidu_partial_success_is_not_an_error() -> None:
    connector = source_connector_class("baidu")(settings=settings("baidu"))
    assert connector.classify(load("baidu", "partial_status2.json")) is None


@pytest.mark.parametrize(
    ("vendor", "refresher", "reply", "rotates"),
    [
        ("ocean_engine", OceanEngineRefresher, "refresh_token.json", True),
    ],
)
def test_documented_refresh_replies(vendor: str, refresher: Any, reply: str, rotates: bool) -> None:
    s = settings(vendor, app_id="1", app_secret="s", client_id="1", client_secret="s")
    response = httpx.Response(200, json=load(vendor, reply))
    pair = refresher(s).parse(response, TokenPair("old", "old-refresh"))
    assert pair.access_token.startswith("fixture-") and pair.expires_at is not None
    assert (pair.refresh_token != "old-refresh") is rotates


def test_baidu_refresh_request_and_refusal() -> None:
    s = BaiduSettings(app_id="a", secret_key="k", user_id="u")
    request = BaiduRefresher(s).request(TokenPair("old", "old-refresh"))
    assert request.url == "https://u.baidu.com/oauth/refreshToken"
    assert json.loads(request.content) == {
        "appId": "a",
        "secretKey": "k",
        "refreshToken": "old-refresh",
        "userId": "u",
    }
    refused = httpx.Response(200, json={"code": 110, "message": "refresh token expired", "data": None})
    with pytest.raises(ReauthorizeError, match="re-authorise"):
        BaiduRefresher(s).parse(refused, TokenPair("old", "old-refresh"))
