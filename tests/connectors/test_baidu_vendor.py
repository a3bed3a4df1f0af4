"""Baidu against the vendor's own shapes (tests/fixtures/baidu/sdk, transcribed from the baiduads SDK):
the request we build, every documented reply, every code, and a multi-page window landed end to end."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.baidu import BaiduConnector, BaiduSettings
from connectors.baidu.connector import JSON_TYPE, BaiduRefresher
from connectors.baidu.errors import BAIDU_CODES, BAIDU_OAUTH_CODES, TOKEN_CODES
from connectors.baidu.payloads import BaiduEnvelope
from connectors.base import CursorState, MemoryTokenStore, SourceRecord, TokenPair
from connectors.errors import (
    AuthExpiredError,
    ConnectorError,
    FatalError,
    ReauthorizeError,
    RetriableError,
)
from connectors.incremental import CST
from core.errors import MappingError
from core.models import Lead, QuarantinedRecord, RawRecord
from mapping import load_field_map, map_lead
from services.intake.landing import ensure_source, land_records
from store.engine import session_scope

SDK = Path(__file__).parents[1] / "fixtures" / "baidu" / "sdk"
OURS = SDK.parent
PATH = "/json/sms/service/LeadsNoticeService/getNoticeList"
START, END = datetime(2024, 5, 1, tzinfo=CST), datetime(2024, 5, 7, 23, 59, 59, tzinfo=CST)


def sdk(name: str) -> Any:
    return json.loads((SDK / name).read_text(encoding="utf-8"))


def ours(name: str) -> Any:
    return json.loads((OURS / name).read_text(encoding="utf-8"))


def connector(handler: Any, store: MemoryTokenStore | None = None, **overrides: Any) -> BaiduConnector:
    values: dict[str, Any] = {"base_url": "https://api.baidu.test", "oauth_base_url": "https://u.baidu.test",
                              "user_names": ["demo-account"], "access_token": "demo-access-token",
                              "refresh_token": "demo-refresh-token", "app_id": "demo-app-id",
                              "secret_key": "demo-secret-key", "user_id": "10000001", "start_date": START,
                              "retry_max_attempts": 1, **overrides}  # fmt: skip
    return BaiduConnector(settings=BaiduSettings(**values), token_store=store,
                          transport=httpx.MockTransport(handler))  # fmt: skip


def pull(c: BaiduConnector) -> list[SourceRecord]:
    return [r for page in c.read("leads", "demo-account", CursorState(), END) for r in page.records]


def test_the_request_is_the_sdk_request_exactly() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=sdk("get_notice_list_response.json"))

    pull(connector(handler))
    (request,) = sent
    assert (request.method, request.url.path, request.url.host) == ("POST", PATH, "api.baidu.test")
    assert request.headers["Content-Type"] == request.headers["Accept"] == JSON_TYPE
    body, documented = json.loads(request.content), sdk("get_notice_list_request.json")
    assert list(body) == list(documented) == ["header", "body"]
    assert list(body["header"].items()) == list(documented["header"].items())  # names, order, values
    assert list(body["body"]) == list(documented["body"])
    assert body["body"] == documented["body"]  # solutionType, dates as "YYYY-MM-DD HH:MM:SS", pageNo 1
    assert not request.url.params, "everything travels in the JSON body"


def test_the_documented_reply_parses_to_its_leads_exactly_as_sent() -> None:
    reply = sdk("get_notice_list_response.json")
    BaiduEnvelope.model_validate(reply)
    records = pull(connector(lambda r: httpx.Response(200, json=reply)))
    sent = reply["body"]["data"][0]["noticeDetailList"]
    assert [r.payload for r in records] == sent
    assert [r.external_id for r in records] == ["clue-0000000001", "clue-0000000002"]
    assert [r.cursor_value for r in records] == ["2024-05-02T10:15:30+08:00", "2024-05-03T16:40:05+08:00"]
    assert all(not r.external_id.startswith("sha256:") for r in records), "no junk record per window"


def _window(total: int) -> list[dict[str, Any]]:
    """``total`` leads shaped as the SDK's NoticeReponse (its first record as the template)."""
    template = sdk("get_notice_list_response.json")["body"]["data"][0]["noticeDetailList"][0]
    forms = [
        '[{"name": "公司名称", "value": "杭州智联医疗器械"}]',
        '{"公司名称": "杭州康瑞生物"}',
        "不是 JSON 的留言",
    ]
    leads = []
    for i in range(total):
        lead = copy.deepcopy(template)
        lead.update(clueId=f"clue-{i:010d}", cluePhoneNumber=f"138000000{i:02d}", formDetail=forms[i % 3],
                    commitTime=f"2024-05-0{2 + i % 5} 10:{i:02d}:00")  # fmt: skip
        leads.append(lead)
    return leads


def sdk_shaped_vendor(leads: list[dict[str, Any]], calls: list[dict[str, Any]]) -> Any:
    """A stand-in that pages like the vendor: pageNo/pageSize in, data[0] = {totalNum, rowNumber,
    noticeDetailList} out, the header copied from the SDK fixture."""
    header = sdk("get_notice_list_response.json")["header"]

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)["body"]
        calls.append(body)
        page, size = body["pageNo"], body["pageSize"]
        rows = leads[(page - 1) * size : page * size]
        data = [{"totalNum": len(leads), "rowNumber": len(rows), "noticeDetailList": rows}]
        return httpx.Response(200, json={"header": header, "body": {"data": data}})

    return handler


@pytest.mark.parametrize("total", [7, 9])  # a short last page, and a full one (stopped by totalNum)
def test_a_three_page_window_lands_every_lead(store: Engine, total: int) -> None:
    leads, calls = _window(total), list[dict[str, Any]]()
    records = pull(connector(sdk_shaped_vendor(leads, calls), page_size=3))
    assert [c["pageNo"] for c in calls] == [1, 2, 3], "stops when pageNo * pageSize reaches totalNum"
    assert {c["pageSize"] for c in calls} == {3}
    assert sorted(r.external_id for r in records) == sorted(lead["clueId"] for lead in leads)
    with session_scope(store) as s:
        result = land_records(s, ensure_source(s, "baidu-sem", "baidu"), records)
    assert (result.landed, result.quarantined) == (total, 0)
    with session_scope(store) as s:
        phones = {lead.external_id: lead.phone for lead in s.scalars(select(Lead))}
        companies = sorted(str(lead.company) for lead in s.scalars(select(Lead)))
        raws = {raw.external_id: raw.payload for raw in s.scalars(select(RawRecord))}
    assert phones == {lead["clueId"]: "+86" + lead["cluePhoneNumber"] for lead in leads}
    assert companies.count("杭州智联医疗器械") == len(range(0, total, 3))  # the JSON list form
    assert companies.count("杭州康瑞生物") == len(range(1, total, 3))  # the JSON object form
    assert raws == {lead["clueId"]: lead for lead in leads}, "the raw formDetail string is kept as sent"


def test_a_lead_with_nothing_to_reach_is_quarantined_with_its_reason(store: Engine) -> None:
    lead = {**_window(1)[0], "cluePhoneNumber": "", "formDetail": "[{broken json"}
    with pytest.raises(MappingError, match="no phone, email, company or USCC"):
        map_lead(load_field_map("baidu"), lead)
    record = SourceRecord(external_id=lead["clueId"], account="demo-account", payload=lead)
    with session_scope(store) as s:
        assert land_records(s, ensure_source(s, "baidu-sem", "baidu"), [record]).quarantined == 1
    with session_scope(store) as s:
        parked = s.scalars(select(QuarantinedRecord)).one()
        assert parked.payload == lead and "no phone" in parked.error


def test_the_form_answers_come_from_the_formdetail_string_in_any_form() -> None:
    field_map = load_field_map("baidu")
    first, second, third = ours("get_notice_list.json")["body"]["data"][0]["noticeDetailList"]
    a, b, c = (map_lead(field_map, lead) for lead in (first, second, third))
    assert (a.company, a.budget_min, a.phone, a.phone_kind) == (
        "杭州智联医疗器械",
        Decimal(120000000),
        "+8657188880000",
        "landline",
    )
    assert (b.company, b.email, b.remark, b.contact_name) == (
        "杭州康瑞生物",
        "li@kangrui.cn",
        "周一上午联系",
        "李",
    )
    assert (c.company, c.phone, c.campaign) == (
        None,
        "+8613800000002",
        "医疗器械-通用词",
    )  # plain text: unread


def test_a_token_error_refreshes_with_the_sdk_request_and_replays_once() -> None:
    sent: list[httpx.Request] = []
    replies = iter([sdk("get_notice_list_response_token_error.json"), sdk("get_notice_list_response.json")])

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/oauth/refreshToken":
            return httpx.Response(200, json=sdk("oauth_refresh_token_response.json"))
        return httpx.Response(200, json=next(replies))

    store = MemoryTokenStore()
    assert len(pull(connector(handler, store))) == 2
    refresh = sent[1]
    assert (refresh.method, str(refresh.url)) == ("POST", "https://u.baidu.test/oauth/refreshToken")
    assert json.loads(refresh.content) == sdk("oauth_refresh_token_request.json")  # userId is a number
    assert refresh.headers["Content-Type"] == "application/json;charset=utf-8"
    assert json.loads(sent[2].content)["header"]["accessToken"] == "demo-access-token-2"
    pair = store.load("baidu", "default")
    assert pair is not None and (pair.access_token, pair.refresh_token) == (
        "demo-access-token-2",
        "demo-refresh-token-2",
    )


def test_the_documented_refresh_reply_and_its_refusals() -> None:
    refresher = BaiduRefresher(BaiduSettings(app_id="a", secret_key="k", user_id="1"))
    pair = refresher.parse(
        httpx.Response(200, json=sdk("oauth_refresh_token_response.json")), TokenPair("a", "r")
    )
    assert (pair.access_token, pair.refresh_token) == ("demo-access-token-2", "demo-refresh-token-2")
    assert pair.expires_at is not None
    for code in (30002, 110, 1):  # 30002: the SDK's own test (bad appId); others: no published meaning
        refused = httpx.Response(200, json={"code": code, "message": "no", "data": None})
        with pytest.raises(ReauthorizeError, match="re-authorise"):
            refresher.parse(refused, TokenPair("a", "r"))
    assert BAIDU_OAUTH_CODES.kind_of(30002).value == "reauthorize"


EXPECTED: list[tuple[int, type[ConnectorError]]] = [
    *((code, AuthExpiredError) for code in TOKEN_CODES),
    *((code, RetriableError) for code in (405, 421, 502, 800)),
    *((code, FatalError) for code in (400, 403, 404, 801, 802, 8002, 8101, 901001)),
]


@pytest.mark.parametrize(("code", "expected"), EXPECTED)
def test_every_code_maps_to_what_to_do_next(code: int, expected: type[ConnectorError]) -> None:
    reply = copy.deepcopy(sdk("get_notice_list_response_token_error.json"))
    reply["header"]["failures"][0]["code"] = code
    error = connector(lambda r: httpx.Response(500)).classify(reply)
    assert type(error) is expected and error.code == code and f"vendor code {code}" in str(error)
    assert type(BAIDU_CODES.error(code)) is expected


def test_non_zero_status_is_never_read_as_success() -> None:
    c = connector(lambda r: httpx.Response(500))
    assert c.classify(sdk("get_notice_list_response.json")) is None
    bare = {"header": {"status": 3, "desc": "failure", "failures": []}, "body": {"data": []}}
    assert type(c.classify(bare)) is FatalError
    token_with_leads = sdk("get_notice_list_response.json")
    token_with_leads["header"].update(sdk("get_notice_list_response_token_error.json")["header"])
    assert type(c.classify(token_with_leads)) is AuthExpiredError, "a token code wins over partial data"
    assert c.classify(ours("partial_status2.json")) is None, "status 2 with leads and an unknown code"
    assert type(c.classify({"body": {}})) is RetriableError
