"""Yonyou against the vendor's documented shapes (tests/fixtures/yonyou/bip_sdk, u8_sources): the oar
request bodies, every documented reply, the data-centre lookup, resubmitCheckKey kept across retries,
a refused oar/save row dead-lettered with the vendor's message, and the simulator refusing as documented."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import AuthExpiredError, FatalError, RetriableError
from connectors.sandbox.erp_state import ERP_CREDENTIALS
from connectors.sandbox.yonyou import sandbox_settings
from connectors.yonyou import YonyouSettings, yonyou_gateway
from connectors.yonyou.bip import BipGateway, saved_bill
from connectors.yonyou.datacenter import clear_gateway_cache, parse_lookup
from connectors.yonyou.errors import BIP_CODES
from core.errors import ConfigError
from core.models import OutboxMessage
from mapping.erp.codes import load_erp_codes
from mapping.erp.records import BillRequest, CustomerRequest
from services.finance import push_once
from services.finance.settings import FinanceSettings
from store.engine import session_scope

from .conftest import Erp, outbox, sign

SDK = Path(__file__).resolve().parents[1] / "fixtures" / "yonyou" / "bip_sdk"
U8 = Path(__file__).resolve().parents[1] / "fixtures" / "yonyou" / "u8_sources"
SECRET = "yy-vendor-test-secret"
HOSTS = {"gatewayUrl": "https://dc.yy.test/iuap-api-gateway", "tokenUrl": "https://dc.yy.test/iuap-api-auth"}
BILL = BillRequest(
    business_key="HT-2026-001#1",
    key="HT-2026-001-01",
    contract_number="HT-2026-001",
    installment_no=1,
    installment_count=1,
    customer=CustomerRequest(7, "SH000007", "杭州智联医疗器械有限公司", erp_id="C7"),
    amount=Decimal("1130.00"),
    currency="CNY",
    tax_rate=Decimal("0.13"),
    bill_date=date(2024, 5, 8),
    due_date=date(2024, 8, 8),
)
# DOC-SAVE / DOC-SINGLE §2: every header field the page lists (what we may send) and the required ones
SINGLE_FIELDS = {
    "resubmitCheckKey", "id", "accentity_code", "vouchdate", "code", "billdirection", "receiveprotocol_code",
    "tradetype_code", "currency_name", "accountdate", "customer_code", "exchRate", "exchangeRateType_code",
    "maturitydate", "retailer", "org_code", "project_code", "dept_code", "oriSum", "invoicetype",
    "operator_code", "natSum", "invoiceno", "orderno", "contractno", "description", "provisionalestimateflag",
    "initflag", "headItem", "headfree", "_status", "oarDetail",
}  # fmt: skip
SINGLE_REQUIRED = {
    "accentity_code", "vouchdate", "tradetype_code", "currency_name", "customer_code", "exchRate",
    "exchangeRateType_code", "oriSum", "natSum", "_status", "oarDetail",
}  # fmt: skip
# the 应收单 table of Ly2JR/neverland src/tools/yonyou/u8/ar/ought_receive.md (head and entry fields)
U8_TABLE = {
    "vouchertype", "code", "relatevouchercode", "date", "cust_vendor_code", "deptcode", "personcode",
    "item_classcode", "item_code", "digest", "subjectcode", "currency_name", "currency_rate", "bdebitcredit",
    "natamount", "amount", "paycondition_code", "operator", "flag", "quantity", "headid",
}  # fmt: skip
BATCH_REQUIRED = SINGLE_REQUIRED - {"currency_name"} | {"code", "billtype", "basebilltype_code"}


def kinds(values: Mapping[str, Any], keys: set[str]) -> dict[str, str]:
    """The JSON kind of each value (a number is a number, 1130 or 1130.0)."""
    return {k: "number" if type(values[k]) in (int, float) else type(values[k]).__name__ for k in keys}


def sdk(name: str) -> Any:
    return json.loads((SDK / name).read_text(encoding="utf-8"))


def bip_settings(tenant: str, **update: Any) -> YonyouSettings:
    values: dict[str, Any] = {"edition": "bip", "app_key": "test-app-key", "app_secret": SECRET}
    return YonyouSettings(**values, tenant_id=tenant, retry_initial_wait=0.0, **update)


class Vendor:
    """A MockTransport answering from the fixtures; ``saves`` is a queue of save replies."""

    def __init__(self, saves: list[tuple[int, Any]], rows: list[dict[str, Any]] | None = None) -> None:
        self.saves, self.rows = saves, rows or []
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path
        if path.endswith("getGatewayAddress"):
            return httpx.Response(200, json={**sdk("gateway_address_response.json"), "data": HOSTS})
        if path.endswith("getAccessToken"):
            return httpx.Response(200, json=sdk("access_token_response.json"))
        if path.endswith("/oar/list"):
            reply = sdk("oar_list_response.json")
            reply["data"]["recordList"] = self.rows
            return httpx.Response(200, json=reply)
        status, body = self.saves.pop(0) if len(self.saves) > 1 else self.saves[0]
        return httpx.Response(status, json=body)

    def bodies(self, suffix: str) -> list[Any]:
        return [json.loads(r.content) for r in self.seen if r.url.path.endswith(suffix)]


def gateway(vendor: Callable[[httpx.Request], httpx.Response], tenant: str, **update: Any) -> BipGateway:
    gw = yonyou_gateway(
        bip_settings(tenant, **update), load_erp_codes("yonyou"), transport=httpx.MockTransport(vendor)
    )
    assert isinstance(gw, BipGateway)
    return gw


def test_the_single_save_body_has_the_documented_fields_and_types() -> None:
    vendor = Vendor([(200, sdk("oar_single_save_response.json"))])
    gw = gateway(vendor, "t-single-body")
    tokens = gw.prepare(BILL)
    bill = gw.create_bill(BILL, tokens)
    (body,) = vendor.bodies("/oar/single/save")
    data, documented = body["data"], sdk("oar_single_save_request.json")["data"]
    assert isinstance(data, dict) and set(data) <= SINGLE_FIELDS and set(data) >= SINGLE_REQUIRED
    shared = set(data) & set(documented)
    assert kinds(data, shared) == kinds(documented, shared) and len(shared) >= 10
    assert data["vouchdate"] == "2024-05-08" and data["maturitydate"] == "2024-08-08"
    row, doc_row = data["oarDetail"][0], documented["oarDetail"][0]
    assert kinds(row, set(row) & set(doc_row)) == kinds(doc_row, set(row) & set(doc_row))
    assert (data["oriSum"], row["oriMoney"], row["oriTax"], row["taxRate"]) == (1130, 1000, 130, 13)
    assert "billtype" not in data and "basebilltype_code" not in data  # not request fields of single/save
    assert data["resubmitCheckKey"] == tokens["resubmitCheckKey"] and len(tokens["resubmitCheckKey"]) <= 32
    assert (bill.erp_id, bill.number) == ("5000000000000002", "OAR-DEMO-0002")  # mainid names the bill
    assert vendor.seen[0].url.params["tenantId"] == "t-single-body"
    assert all(r.url.host == "dc.yy.test" for r in vendor.seen[1:])
    assert vendor.seen[1].url.path == "/iuap-api-auth/open-auth/selfAppAuth/getAccessToken"
    assert vendor.seen[2].url.path == "/iuap-api-gateway/yonbip/fi/oar/single/save"


def test_the_batch_save_body_is_an_array_with_the_required_fields() -> None:
    vendor = Vendor([(200, sdk("oar_save_response.json"))])
    gw = gateway(vendor, "t-batch-body", bip_receivable_save="/yonbip/fi/oar/save")
    assert gw.prepare(BILL) == {}
    bill = gw.create_bill(BILL, {})
    (body,) = vendor.bodies("/oar/save")
    documented = sdk("oar_save_request.json")["data"][0]
    assert isinstance(body["data"], list) and len(body["data"]) == 1
    data = body["data"][0]
    assert set(data) >= BATCH_REQUIRED and "resubmitCheckKey" not in data
    shared = set(data) & set(documented)
    assert kinds(data, shared) == kinds(documented, shared) and len(shared) >= 12
    assert (data["billtype"], data["basebilltype_code"], data["vouchdate"]) == (
        "2",
        "arap_oar",
        "2024-05-08 00:00:00",
    )
    assert (bill.erp_id, bill.number) == ("5000000000000001", "OAR-DEMO-0001")


def test_a_refused_batch_row_raises_with_the_vendor_message() -> None:
    with pytest.raises(FatalError, match="demo refusal message for the second bill") as caught:
        saved_bill(sdk("oar_save_response_partial_failure.json")["data"])
    assert caught.value.code == "failCount"
    assert saved_bill(sdk("oar_save_response.json")["data"])["code"] == "OAR-DEMO-0001"
    one_refused = {"sucessCount": "0", "failCount": 1, "messages": ["会计期间已结账"], "infos": []}
    with pytest.raises(FatalError, match="会计期间已结账"):
        saved_bill(one_refused)  # a number instead of the documented string is read the same way


def test_documented_replies_map_to_error_classes() -> None:
    hosts = parse_lookup(sdk("gateway_address_response.json"), "t")
    assert (hosts.gateway_url, hosts.token_url) == (
        "https://demo-dc.example.com/iuap-api-gateway",
        "https://demo-dc.example.com/iuap-api-auth",
    )
    with pytest.raises(FatalError, match="SYNCHUB_YONYOU_TENANT_ID"):
        parse_lookup({"code": "1", "message": "租户不存在"}, "nobody")
    assert isinstance(BIP_CODES.error("310036", "非法token"), AuthExpiredError)
    assert isinstance(BIP_CODES.error("310046"), RetriableError)
    assert type(BIP_CODES.error("10018")) is FatalError and type(BIP_CODES.error("999")) is FatalError


def test_a_bad_appkey_refuses_the_token_and_an_illegal_token_is_replaced_once() -> None:
    calls: list[str] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("getGatewayAddress"):
            return httpx.Response(200, json={"code": "00000", "data": HOSTS})
        if request.url.path.endswith("getAccessToken"):
            return httpx.Response(200, json=sdk("access_token_response.json"))
        if calls.count(request.url.path) == 1:
            return httpx.Response(200, json=sdk("business_response_illegal_token.json"))
        return httpx.Response(200, json=sdk("oar_list_response.json"))

    gw = gateway(vendor, "t-illegal")
    found = gw.find_bill(replace(BILL, key="OAR-DEMO-0001"))
    assert found is not None and (found.erp_id, found.amount) == ("5000000000000001", Decimal("1130.0"))
    assert [p.rsplit("/", 1)[-1] for p in calls] == [
        "getGatewayAddress",
        "getAccessToken",
        "list",
        "getAccessToken",
        "list",
    ]
    refused = httpx.MockTransport(
        lambda r: httpx.Response(
            200,
            json={"code": "00000", "data": HOSTS}
            if r.url.path.endswith("getGatewayAddress")
            else sdk("access_token_response_bad_appkey.json"),
        )
    )
    bad = yonyou_gateway(bip_settings("t-badkey"), load_erp_codes("yonyou"), transport=refused)
    with pytest.raises(FatalError, match="app_key"):
        bad.find_bill(BILL)


def test_the_resubmit_check_key_is_stable_across_a_retry_and_read_back_uses_code() -> None:
    busy = (429, {"message": "Too Many Requests"})
    vendor = Vendor([busy, (200, {"code": "100004", "message": "重复提交"})], rows=[])
    gw = gateway(vendor, "t-retry")
    tokens = gw.prepare(BILL)
    with pytest.raises(FatalError, match="100004"):
        gw.create_bill(BILL, tokens)  # a duplicate submission is read back; nothing there: the error stands
    keys = [b["data"]["resubmitCheckKey"] for b in vendor.bodies("/oar/single/save")]
    assert len(keys) == 2 and set(keys) == {tokens["resubmitCheckKey"]}
    (listed,) = vendor.bodies("/oar/list")
    assert listed["code"] == BILL.key and "simpleVOs" not in listed and listed["pageIndex"] == "1"
    documented = sdk("oar_list_request.json")  # DOC-LIST: paging as strings, isSum a boolean
    assert set(listed) <= set(documented) | {"code"}
    assert {k: type(v) for k, v in listed.items() if k in documented} == {
        k: type(documented[k]) for k in listed if k in documented
    }


def test_bip_refuses_remark_numbering_and_needs_a_tenant() -> None:
    codes = replace(load_erp_codes("yonyou"), key_field="remark")
    with pytest.raises(ConfigError, match="key_field = bill_no"):
        yonyou_gateway(bip_settings("t"), codes)
    assert YonyouSettings(edition="bip").credentials_missing() == [
        "SYNCHUB_YONYOU_APP_KEY", "SYNCHUB_YONYOU_APP_SECRET", "SYNCHUB_YONYOU_TENANT_ID"
    ]  # fmt: skip
    assert YonyouSettings(edition="bip").base_url == "https://apigateway.yonyoucloud.com"
    assert YonyouSettings().base_url == "https://api.yonyouup.com"


def test_the_sandbox_refuses_what_the_vendor_refuses(erp: Erp) -> None:
    creds = ERP_CREDENTIALS["yonyou"]
    with httpx.Client(base_url=erp.base_url) as http:
        assert (
            http.get("/open-auth/dataCenter/getGatewayAddress", params={"tenantId": "x"}).json()["code"]
            != "00000"
        )
        hosts = http.get("/open-auth/dataCenter/getGatewayAddress", params={"tenantId": creds["tenant_id"]})
        data = hosts.json()["data"]
        assert data["gatewayUrl"].endswith("/iuap-api-gateway") and data["tokenUrl"].endswith(
            "/iuap-api-auth"
        )
        token_url = data["tokenUrl"] + "/open-auth/selfAppAuth/getAccessToken"
        assert http.get(token_url, params={"appKey": "nope"}).json()["code"] == "10018"
        gw = data["gatewayUrl"] + "/yonbip/fi/oar"
        assert http.post(gw + "/list", json={"pageIndex": "1", "pageSize": "10"}).json()["code"] == "310001"
        assert http.post(gw + "/list", params={"access_token": "stale"}, json={}).json()["code"] == "310036"
    gw_settings = sandbox_settings(erp.base_url, "bip")
    gateway_ = yonyou_gateway(gw_settings, load_erp_codes("yonyou"))
    try:
        client = gateway_.client
        missing = client.http.post(
            client.hosts().gateway_url + "/yonbip/fi/oar/single/save", json={"data": {"oriSum": 1}}
        ).json()
        assert missing["code"] == "999" and "accentity_code" in missing["message"]
        not_array = client.http.post(
            client.hosts().gateway_url + "/yonbip/fi/oar/save", json={"data": {}}
        ).json()
        assert not_array["code"] == "999"
        batch = client.http.post(
            client.hosts().gateway_url + "/yonbip/fi/oar/save", json={"data": [{"code": "X"}]}
        ).json()
        assert batch["code"] == "200" and batch["data"]["failCount"] == "1" and batch["data"]["messages"]
        no_paging = client.http.post(client.hosts().gateway_url + "/yonbip/fi/oar/list", json={}).json()
        assert no_paging["code"] == "999"
    finally:
        gateway_.close()


def test_the_gateway_is_looked_up_once_per_process(erp: Erp) -> None:
    clear_gateway_cache()
    settings = sandbox_settings(erp.base_url, "bip")
    for _ in range(2):
        gw = yonyou_gateway(settings, load_erp_codes("yonyou"))
        try:
            assert gw.find_bill(BILL) is None
        finally:
            gw.close()
    assert erp.state.stats["yonyou"]["bip.datacenter"] == 1


def _push_all(store: Engine, gw: Any) -> None:
    for _ in range(3):
        push_once(store, {"yonyou": gw}, worker="w", settings=FinanceSettings(backoff_initial=0.0))


def test_a_refused_batch_row_is_dead_lettered_with_the_vendor_message(
    store: Engine, erp: Erp, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = load_erp_codes("yonyou")
    codes = replace(codes, bill_types={**codes.bill_types, "bip_trade_type": ""})  # the vendor requires it
    monkeypatch.setattr("services.finance.push.load_erp_codes", lambda name, folder=None: codes)
    sign(store, "HT-DL1", erp="yonyou")
    settings = sandbox_settings(erp.base_url, "bip", bip_receivable_save="/yonbip/fi/oar/save")
    gw = yonyou_gateway(settings, codes)
    try:
        _push_all(store, gw)
    finally:
        gw.close()
    assert set(outbox(store).values()) == {"dead"}
    with session_scope(store) as s:
        errors = [m.last_error or "" for m in s.scalars(select(OutboxMessage))]
    assert all(e.startswith("fatal: FatalError") and "tradetype_code" in e for e in errors), errors
    assert erp.state.rows("yonyou", "receivable") == []


def test_the_single_save_pushes_once_under_a_lost_reply(store: Engine, erp: Erp) -> None:
    sign(store, "HT-SS1", erp="yonyou")
    erp.state.faults["yonyou"].update({"lost_reply": 1, "lost_reply_mode": "500"})
    gw = yonyou_gateway(sandbox_settings(erp.base_url, "bip"), load_erp_codes("yonyou"))
    try:
        _push_all(store, gw)
    finally:
        gw.close()
    assert set(outbox(store).values()) == {"done"}
    assert len(erp.state.rows("yonyou", "receivable")) == 2


def test_u8_lists_and_add_follow_the_public_clients() -> None:
    s = YonyouSettings()
    assert (s.u8_receipt, s.u8_invoice) == ("acceptlist", "saleinvoicelist")
    seen: list[httpx.Request] = []
    replies = {
        "acceptlist": json.loads((U8 / "acceptlist_batch_get_response.json").read_text(encoding="utf-8")),
        "saleinvoicelist": json.loads(
            (U8 / "saleinvoicelist_batch_get_response.json").read_text(encoding="utf-8")
        ),
    }

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/system/token":
            return httpx.Response(200, json={"errcode": "0", "token": {"id": "t1", "expiresIn": 7200}})
        if request.url.path == "/system/tradeid":
            return httpx.Response(200, json={"errcode": "0", "trade": {"id": "trade-1"}})
        if request.url.path == "/api/oughtreceive/add":
            return httpx.Response(
                200, json=json.loads((U8 / "oughtreceive_add_response.json").read_text("utf-8"))
            )
        if request.url.path == "/api/oughtreceive/get":
            return httpx.Response(200, json={"errcode": "20001", "errmsg": "not found"})
        resource = request.url.path.split("/")[2]
        return httpx.Response(200, json={**replies[resource], resource: []})

    u8 = YonyouSettings(app_key="k", app_secret="s", from_account="a", to_account="b", ds_sequence="1")
    gw = yonyou_gateway(u8, load_erp_codes("yonyou"), transport=httpx.MockTransport(vendor))
    assert gw.feeds("settlements")[0] == "acceptlist" and gw.feeds("invoices") == ["saleinvoicelist"]
    for feed in ("acceptlist", "saleinvoicelist"):
        assert list(gw.pull(feed, None)) in ([], [[]])
    assert [r.url.path for r in seen if "batch_get" in r.url.path] == [
        "/api/acceptlist/batch_get",
        "/api/saleinvoicelist/batch_get",
    ]
    with pytest.raises(AmbiguousWriteError, match="not visible yet"):  # the documented reply's id is empty
        gw.create_bill(BILL, {"tradeid": "trade-1"})
    add = next(r for r in seen if r.url.path == "/api/oughtreceive/add")
    body = json.loads(add.content)["oughtreceive"]
    documented = json.loads((U8 / "oughtreceive_add_request.json").read_text("utf-8"))["oughtreceive"]
    assert set(body) - {"entry"} <= set(documented) | U8_TABLE and {"cust_vendor_code", "deptcode"} <= set(
        body
    )
    assert set(body["entry"][0]) <= set(documented["entry"]) | U8_TABLE
    assert {k: body[k] for k in ("vouchertype", "bdebitcredit", "currency_rate")} == {
        "vouchertype": "R0", "bdebitcredit": "1", "currency_rate": "1"
    }  # fmt: skip


def test_the_token_request_is_signed_as_the_vendor_demo_signs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """access_token_request_query.json: the query of selfAppAuth/getAccessToken for fixed inputs
    (corp-demo's SignHelper algorithm: HmacSHA256, Base64, URL-encoded on the wire)."""
    from connectors.yonyou.auth import BipTokenAuth

    documented = sdk("access_token_request_query.json")
    monkeypatch.setattr("connectors.yonyou.auth.time.time", lambda: int(documented["timestamp"]) / 1000)
    settings = YonyouSettings(
        edition="bip", app_key="test-app-key", app_secret="test-app-secret", tenant_id="t"
    )
    request = BipTokenAuth(settings, lambda: "https://c1.yonyoucloud.com/iuap-api-auth").token_request()
    assert request.method == "GET" and request.url.path.endswith("/open-auth/selfAppAuth/getAccessToken")
    wire = dict(pair.split("=", 1) for pair in request.url.query.decode().split("&"))
    assert wire == documented
