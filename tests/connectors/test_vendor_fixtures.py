"""Each connector against copies of its vendor's documented replies (tests/fixtures/<vendor>/)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from connectors.baidu import BaiduSettings
from connectors.baidu.connector import BaiduRefresher
from connectors.base import CursorState, TokenPair
from connectors.errors import AuthExpiredError, ConnectorError, FatalError, ReauthorizeError, RetriableError
from connectors.incremental import CST
from connectors.ocean_engine.connector import OceanEngineRefresher
from connectors.ocean_engine.payloads import OceanEngineEnvelope
from connectors.registry import source_connector_class
from connectors.settings import ConnectorSettings
from connectors.tencent_ads.payloads import TencentAdsEnvelope

from .support import END

FIXTURES = Path(__file__).parents[1] / "fixtures"
ACCOUNT = {"ocean_engine": ("advertiser_ids", "1760000000000001"), "tencent_ads": ("account_ids", "20458001"),
           "baidu": ("user_names", "zhilian-sem")}  # fmt: skip
PAGE: dict[str, tuple[str, str, type[BaseModel]]] = {"ocean_engine": ("clue_get.json", "data.list", OceanEngineEnvelope),
        "tencent_ads": ("sdk/lead_clues_get.reply.json", "data.leads_info", TencentAdsEnvelope),
        }  # fmt: skip  # baidu's page is nested (body.data[0].noticeDetailList): test_baidu_vendor.py
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
    connector = cls(
        settings=settings(vendor), transport=httpx.MockTransport(lambda r: httpx.Response(200, json=reply))
    )
    records = [r for p in connector.read("leads", ACCOUNT[vendor][1], CursorState(), END) for r in p.records]
    sent = reply
    for part in path.split("."):
        sent = sent[part]
    assert [r.payload for r in records] == sent
    model: type[BaseModel] = cls.stream_list[0].payload_model
    for record in records:
        model.model_validate(record.payload)
        assert record.cursor_value and record.cursor_value.endswith("+08:00")


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
