"""The Yonyou connector: U8 token, tradeid persisted and re-sent, errcode mapping; YonBIP signed token
and code replies; and the U8 gateway returning one result per tradeid (against the sandbox)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import FatalError
from connectors.sandbox.yonyou import sandbox_settings
from connectors.yonyou import YonyouSettings, yonyou_gateway
from connectors.yonyou.auth import bip_signature
from core.errors import ConfigError
from mapping.erp.codes import load_erp_codes
from mapping.erp.records import BillRequest, CustomerRequest, ErpCustomer

from .conftest import Erp

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "yonyou"
SECRET = "yy-unit-test-app-secret-77f0"
BILL = BillRequest(
    business_key="HT-2026-001#1",
    key="HT-2026-001-01",
    contract_number="HT-2026-001",
    installment_no=1,
    installment_count=1,
    customer=CustomerRequest(7, "SH000007", "杭州智联医疗器械有限公司", erp_id="C7"),
    amount=Decimal("180000.00"),
    currency="CNY",
    tax_rate=Decimal("0.13"),
    bill_date=date(2026, 11, 20),
    due_date=date(2026, 11, 20),
)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def settings(edition: str) -> YonyouSettings:
    return YonyouSettings(
        base_url="https://yy.test",
        edition=edition,
        app_key="opa-key",
        app_secret=SECRET,
        from_account="synchub",
        to_account="u8_001",
        ds_sequence="1",
        retry_initial_wait=0.0,
    )


def test_u8_token_tradeid_and_add_carry_the_documented_parameters() -> None:
    seen: list[httpx.Request] = []
    replies = {
        "/system/token": [fixture("u8_token.json")],
        "/system/tradeid": [fixture("u8_tradeid.json")],
        "/api/oughtreceive/add": [fixture("u8_token_expired.json"), fixture("u8_add_ok.json")],
    }

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        queue = replies[request.url.path]
        return httpx.Response(200, json=queue.pop(0) if len(queue) > 1 else queue[0])

    gw = yonyou_gateway(settings("u8"), load_erp_codes("yonyou"), transport=httpx.MockTransport(vendor))
    tokens = gw.prepare(BILL)
    assert tokens == {"tradeid": "8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a"}
    assert gw.create_bill(BILL, tokens).erp_id == "1000012"
    paths = [r.url.path for r in seen]
    assert paths == [
        "/system/token",
        "/system/tradeid",
        "/api/oughtreceive/add",
        "/system/token",
        "/api/oughtreceive/add",
    ]
    token_query = dict(seen[0].url.params)
    assert token_query == {"from_account": "synchub", "app_key": "opa-key", "app_secret": SECRET}
    add = seen[-1]
    assert {
        k: add.url.params[k] for k in ("tradeid", "to_account", "from_account", "app_key", "ds_sequence")
    } == {
        "tradeid": "8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a",
        "to_account": "u8_001",
        "from_account": "synchub",
        "app_key": "opa-key",
        "ds_sequence": "1",
    }
    assert seen[2].url.params["tradeid"] == add.url.params["tradeid"]  # the replay keeps the tradeid
    body = json.loads(add.content)["oughtreceive"]
    assert (body["code"], body["cust_vendor_code"], body["currency_name"], body["entry"][0]["amount"]) == (
        "HT-2026-001-01",
        "SH000007",
        "人民币",
        "180000.00",
    )


def test_u8_not_found_and_refusals() -> None:
    def vendor(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/system/token":
            return httpx.Response(200, json=fixture("u8_token.json"))
        return httpx.Response(200, json=fixture("u8_not_found.json"))

    gw = yonyou_gateway(settings("u8"), load_erp_codes("yonyou"), transport=httpx.MockTransport(vendor))
    assert gw.find_bill(BILL) is None
    with pytest.raises(ConfigError, match="key_field = bill_no"):
        from dataclasses import replace

        yonyou_gateway(settings("u8"), replace(load_erp_codes("yonyou"), key_field="remark"))


def test_bip_signature_is_hmac_sha256_of_key_and_timestamp_base64() -> None:
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"appKeyk1timestamp1700000000000", hashlib.sha256).digest()
    )
    assert bip_signature("k1", "s3cret", "1700000000000") == expected.decode()


def test_bip_token_then_save_and_a_duplicate_is_read_back() -> None:
    seen: list[httpx.Request] = []

    def vendor(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        if path.endswith("getGatewayAddress"):
            hosts = {
                "gatewayUrl": "https://gw.yy.test/iuap-api-gateway",
                "tokenUrl": "https://gw.yy.test/auth",
            }
            return httpx.Response(200, json={"code": "00000", "data": hosts})
        if path.endswith("getAccessToken"):
            return httpx.Response(200, json=fixture("bip_token.json"))
        if path.endswith("/save"):
            return httpx.Response(200, json=fixture("bip_error.json"))
        record = {"id": "1790012345678901", "code": "HT-2026-001-01", "oriSum": "180000.00"}
        return httpx.Response(
            200, json={"code": "200", "message": "操作成功", "data": {"recordList": [record]}}
        )

    bip = settings("bip").model_copy(update={"tenant_id": "t-test-duplicate"})
    gw = yonyou_gateway(bip, load_erp_codes("yonyou"), transport=httpx.MockTransport(vendor))
    found = gw.create_bill(BILL, {})
    assert (found.erp_id, found.number) == ("1790012345678901", "HT-2026-001-01")
    token = seen[1].url.params
    assert token["appKey"] == "opa-key" and token["signature"] == bip_signature(
        "opa-key", SECRET, token["timestamp"]
    )
    assert all(r.url.params.get("access_token") == "bip-token-3c9a7e1f5b2d4a6c8e0f" for r in seen[2:])
    assert json.loads(seen[3].content)["code"] == "HT-2026-001-01"


def test_the_u8_gateway_returns_one_result_per_tradeid(erp: Erp) -> None:
    gw = yonyou_gateway(sandbox_settings(erp.base_url, "u8"), load_erp_codes("yonyou"))
    try:
        customer = gw.ensure_customer(CustomerRequest(7, "SH000007", "杭州智联医疗器械有限公司"))
        bill = BillRequest(
            **{**BILL.__dict__, "customer": CustomerRequest(7, customer.number, "x", erp_id=customer.erp_id)}
        )
        tokens = gw.prepare(bill)
        first, second = gw.create_bill(bill, tokens), gw.create_bill(bill, tokens)
        with pytest.raises(FatalError, match="tradeid"):
            gw.create_bill(bill, {"tradeid": "never-issued"})
    finally:
        gw.close()
    assert first == second and erp.state.count_bills("yonyou", "HT-2026-001-01") == 1
    assert erp.state.stats["yonyou"]["tradeid.replayed"] == 1


@pytest.mark.parametrize("edition", ["u8", "bip"])
def test_a_pull_reads_every_page_once(erp: Erp, edition: str) -> None:
    for i in range(7):
        erp.state.add("yonyou", "customer", {"id": str(9000 + i), "code": f"SH{i:06d}", "name": f"客户{i}"})
    wanted = {r["code"] for r in erp.state.rows("yonyou", "customer")}
    gw = yonyou_gateway(
        sandbox_settings(erp.base_url, edition).model_copy(update={"page_size": 3}), load_erp_codes("yonyou")
    )
    try:
        (feed,) = gw.feeds("customers")
        pages = list(gw.pull(feed, None))
    finally:
        gw.close()
    numbers = [r.number for page in pages for r in page if isinstance(r, ErpCustomer)]
    assert sorted(numbers) == sorted(wanted) and len(wanted) >= 7  # all of them, none twice
    assert [len(p) for p in pages] == [3] * (len(wanted) // 3) + (
        [len(wanted) % 3] if len(wanted) % 3 else []
    )
