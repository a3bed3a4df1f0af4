"""Tencent Ads against its vendor's shapes: tests/fixtures/tencent_ads/sdk/ (transcribed from the
Marketing API SDKs and docs, apart from our code) and a stand-in that follows those shapes, not our
simulator: GET with query parameters only, ``time_type`` required, ``data.leads_info``, 5,000-deep
page numbers then ``last_search_after_values``."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.base import CursorState, TokenPair
from connectors.errors import AuthExpiredError, ConnectorError, FatalError, ReauthorizeError, RetriableError
from connectors.incremental import CST
from connectors.tencent_ads import streams as tencent_streams
from connectors.tencent_ads.connector import TencentAdsConnector, TencentAdsRefresher
from connectors.tencent_ads.payloads import TencentAdsEnvelope
from connectors.tencent_ads.settings import TencentAdsSettings

SDK = Path(__file__).parents[1] / "fixtures" / "tencent_ads" / "sdk"
START, END = datetime(2024, 5, 1, tzinfo=CST), datetime(2024, 5, 31, 23, 59, 59, tzinfo=CST)


def load(name: str) -> Any:
    return json.loads((SDK / name).read_text(encoding="utf-8"))


def settings(**overrides: Any) -> TencentAdsSettings:
    values: dict[str, Any] = {"base_url": "https://api.e.qq.com", "account_ids": ["12345678"], "client_id": "1100000001",
                              "client_secret": "FAKE_CLIENT_SECRET", "access_token": "FAKE_ACCESS_TOKEN_0001",
                              "refresh_token": "FAKE_REFRESH_TOKEN_0001", "start_date": START, "page_size": 1,
                              "retry_max_attempts": 1, "lag_seconds": 0}  # fmt: skip
    return TencentAdsSettings(**{**values, **overrides})


def decoded(request: httpx.Request) -> dict[str, Any]:
    """The query as the vendor reads it: JSON text decoded, the auth triple left out."""
    out: dict[str, Any] = {}
    for name, value in request.url.params.items():
        if name not in ("access_token", "timestamp", "nonce"):
            out[name] = json.loads(value)
    return out


class SdkShapedTencent:
    """A stand-in following the SDK fixtures: what the vendor documents, nothing of our simulator."""

    def __init__(self, records: list[dict[str, Any]], *, as_object: bool, depth: int = 5000) -> None:
        key = lambda r: (r["leads_create_time"], r["leads_id"])  # noqa: E731
        self.records, self.as_object, self.depth = sorted(records, key=key, reverse=True), as_object, depth
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method != "GET" or request.url.path != "/v3.0/leads_list/get":
            return httpx.Response(405 if request.url.path == "/v3.0/leads_list/get" else 404)
        query = request.url.params
        if not all(query.get(k) for k in ("access_token", "timestamp", "nonce")):
            return httpx.Response(
                200, json={"code": 12000, "message": "missing access_token, timestamp or nonce"}
            )
        params = decoded(request)
        window = params.get("time_range", {})
        if window.get("time_type") not in ("TIME_TYPE_CREATED_TIME", "TIME_TYPE_ACTION_TIME"):
            return httpx.Response(200, json={"code": 60014, "message": "time_range incomplete"})
        size = 1 if self.as_object else int(params.get("page_size", 10))
        if size > 200:
            return httpx.Response(200, json={"code": 60012, "message": "exceeding page size"})
        if "last_search_after_values" in params:
            after = [int(v) for v in params["last_search_after_values"]]
            rest = [r for r in self.records if self._key(r) < tuple(after)]
            items, page = rest[:size], 1
        else:
            page = int(params.get("page", 1))
            if page * size > self.depth:
                return httpx.Response(200, json={"code": 60022, "message": "use lastSearchAfterValue"})
            items = self.records[(page - 1) * size : page * size]
        info = {"page": page, "page_size": size, "total_number": len(self.records),
                "total_page": -(-len(self.records) // size)}  # fmt: skip
        leads: Any = (items[0] if items else {}) if self.as_object else items
        return httpx.Response(200, json={"code": 0, "message": "", "message_cn": "",
                                         "data": {"leads_info": leads, "page_info": info}})  # fmt: skip

    @staticmethod
    def _key(record: dict[str, Any]) -> tuple[int, int]:
        millis, lead = tencent_streams.search_after_key(record, "leads_create_time")
        return int(millis), int(lead)


def window_of(count: int) -> list[dict[str, Any]]:
    template = load("leads_list_get.reply.json")["data"]["leads_info"]
    records = []
    for i in range(count):
        record = copy.deepcopy(template)
        created = datetime(2024, 5, 2, 8, tzinfo=CST) + timedelta(minutes=37 * i)
        record.update(leads_id=900000000100000 + i, leads_telephone=f"138000{i:05d}",
                      leads_create_time=created.strftime("%Y-%m-%d %H:%M:%S"))  # fmt: skip
        records.append(record)
    return records


def pull(connector: TencentAdsConnector) -> list[Any]:
    return [r for page in connector.read("leads", "12345678", CursorState(), END) for r in page.records]


@pytest.mark.parametrize("as_object", [True, False], ids=["leads_info-object", "leads_info-array"])
@pytest.mark.parametrize(("depth", "page_size"), [(5000, 10), (12, 4)], ids=["shallow", "past-depth"])
def test_every_lead_of_a_multi_page_window_lands(as_object: bool, depth: int, page_size: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(tencent_streams, "PAGING_DEPTH", depth)
    stand_in = SdkShapedTencent(window_of(25), as_object=as_object, depth=depth)
    connector = TencentAdsConnector(settings(page_size=page_size), transport=httpx.MockTransport(stand_in))
    records = pull(connector)
    assert sorted(r.external_id for r in records) == sorted(str(r["leads_id"]) for r in stand_in.records)
    assert len(stand_in.requests) > 1 and all(r.method == "GET" for r in stand_in.requests)
    searched = [decoded(r) for r in stand_in.requests if "last_search_after_values" in r.url.params]
    assert bool(searched) is (depth < 25)
    assert all("page" not in params for params in searched)


def as_ours(documented: dict[str, Any]) -> dict[str, Any]:
    """A documented request's decoded query for this test's window, without the optional ``fields``."""
    expected = {k: v for k, v in documented["query_decoded"].items() if k != "fields"}
    window = {"start_time": int(START.timestamp()), "end_time": int(END.timestamp())}
    expected["time_range"] = {**expected["time_range"], **window}
    return expected


def test_the_first_request_is_the_documented_one() -> None:
    documented = load("leads_list_get.request.json")
    seen: list[httpx.Request] = []
    reply = load("leads_list_get.reply.json")

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=reply if len(seen) == 1 else load("leads_list_get.page2.reply.json"))

    connector = TencentAdsConnector(settings(), transport=httpx.MockTransport(answer))
    records = pull(connector)
    first = seen[0]
    assert first.method == documented["method"]
    assert str(first.url.copy_with(query=None)) == documented["url"]
    assert decoded(first) == as_ours(documented)
    assert set(first.url.params) >= {"access_token", "timestamp", "nonce"}
    assert len(first.url.params["nonce"]) <= 32
    assert decoded(seen[1]) == as_ours(load("leads_list_get.page2.request.json"))
    assert seen[1].url.params["nonce"] != first.url.params["nonce"]
    assert [r.payload for r in records] == [reply["data"]["leads_info"],
                                            load("leads_list_get.page2.reply.json")["data"]["leads_info"]]  # fmt: skip
    assert records[0].external_id == "900000000000002"
    assert records[0].cursor_value == "2024-05-20T10:15:30+08:00"


def test_the_search_after_key_is_the_documented_one() -> None:
    documented = load("leads_list_get.search_after.request.json")["query_decoded"]["last_search_after_values"]
    record = load("leads_list_get.reply.json")["data"]["leads_info"]
    assert tencent_streams.search_after_key(record, "leads_create_time") == documented


def test_v13_is_a_post_with_the_documented_body_and_reads_the_array() -> None:
    documented = load("lead_clues_get.request.json")
    reply = load("lead_clues_get.reply.json")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=reply)

    s = settings(api_version="v1.3", time_type="TIME_TYPE_ACTION_TIME", page_size=10)
    records = pull(TencentAdsConnector(s, transport=httpx.MockTransport(answer)))
    request = seen[0]
    assert request.method == "POST" and str(request.url.copy_with(query=None)) == documented["url"]
    assert set(request.url.params) == set(documented["query"])
    body = json.loads(request.content)
    assert set(body) == set(documented["body"]) and set(body["time_range"]) == set(
        documented["body"]["time_range"]
    )
    assert (body["page"], body["page_size"], body["account_id"]) == (1, 10, 12345678)
    assert [r.payload for r in records] == reply["data"]["leads_info"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("leads_list_get.error_11000.reply.json", AuthExpiredError),
        ("leads_list_get.error_11002.reply.json", ReauthorizeError),
        ("leads_list_get.error_11017.reply.json", RetriableError),
        ("leads_list_get.error_60022.reply.json", FatalError),
    ],
)
def test_documented_errors_map_to_what_to_do_next(name: str, expected: type[ConnectorError]) -> None:
    reply = load(name)
    TencentAdsEnvelope.model_validate(reply)
    error = TencentAdsConnector(settings()).classify(reply)
    assert type(error) is expected and error.code == reply["code"]


def test_refresh_is_the_documented_request_and_keeps_the_refresh_token() -> None:
    documented = load("oauth_token.request.json")
    refresher = TencentAdsRefresher(settings())
    request = refresher.request(TokenPair("old", "FAKE_REFRESH_TOKEN_0001"))
    assert request.method == documented["method"]
    assert str(request.url.copy_with(query=None)) == documented["url"]
    assert dict(request.url.params) == documented["query"]
    pair = refresher.parse(httpx.Response(200, json=load("oauth_token.reply.json")), TokenPair("old", "rt"))
    assert (pair.access_token, pair.refresh_token) == ("FAKE_ACCESS_TOKEN_0002", "rt")
    with pytest.raises(ReauthorizeError):
        refresher.parse(
            httpx.Response(200, json=load("oauth_token.error_11012.reply.json")), TokenPair("o", "rt")
        )
