"""The Kingdee connector at the transport: login and session reuse, re-login once, ResponseStatus
errors mapped to our types, Save never blindly retried, duplicates read back. Vendor replies from
tests/fixtures/kingdee."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import AuthExpiredError, FatalError
from connectors.kingdee import KingdeeGateway, KingdeeSettings, SaveRefused
from mapping.erp.codes import load_erp_codes
from mapping.erp.records import BillRequest, CustomerRequest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kingdee"
SECRET = "kd-unit-test-app-secret-93ab"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


BILL = BillRequest(
    business_key="HT-2026-001#1",
    key="HT-2026-001-01",
    contract_number="HT-2026-001",
    installment_no=1,
    installment_count=2,
    customer=CustomerRequest(7, "SH000007", "杭州智联医疗器械有限公司", erp_id="100001"),
    amount=Decimal("180000.00"),
    currency="CNY",
    tax_rate=Decimal("0.13"),
    bill_date=date(2026, 11, 20),
    due_date=date(2026, 11, 20),
    owner="zhang.san",
)


class Vendor:
    """Routes by operation name; each route is a list of replies (or exceptions) used in turn."""

    def __init__(self, routes: dict[str, list[Any]]) -> None:
        self.routes = routes
        self.calls: list[tuple[str, dict[str, Any], str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        op = request.url.path.split("ServicesStub.")[1].removesuffix(".common.kdsvc")
        self.calls.append((op, json.loads(request.content or b"{}"), request.headers.get("Cookie")))
        replies = self.routes[op]
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, int):
            return httpx.Response(reply, json={"message": "error"}, headers={"Retry-After": "0"})
        headers = (
            {"Set-Cookie": "kdservice-sessionid=a1b2c3d4e5f60718293a4b5c6d7e8f90"} if "Auth" in op else {}
        )
        return httpx.Response(200, json=reply, headers=headers)

    def ops(self) -> list[str]:
        return [op for op, _, _ in self.calls]


LOGIN = "AuthService.LoginByAppSecret"
SAVE = "DynamicFormService.Save"
QUERY = "DynamicFormService.ExecuteBillQuery"


def gateway(vendor: Callable[[httpx.Request], httpx.Response]) -> KingdeeGateway:
    settings = KingdeeSettings(
        base_url="https://kd.test/k3cloud",
        acct_id="63f0a1b2c3d4e5",
        username="synchub",
        login="app_secret",
        app_id="251124_synchub",
        app_secret=SECRET,
        retry_initial_wait=0.0,
    )
    return KingdeeGateway(settings, load_erp_codes("kingdee"), transport=httpx.MockTransport(vendor))


def test_login_by_app_secret_then_the_session_cookie_is_reused(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    vendor = Vendor({LOGIN: [fixture("login_ok.json")], SAVE: [fixture("save_ok.json")]})
    gw = gateway(vendor)
    created = gw.create_bill(BILL, {})
    gw.create_bill(BILL, {})
    assert (created.erp_id, created.number) == ("100123", "HT-2026-001-01")
    assert vendor.ops() == [LOGIN, SAVE, SAVE]
    assert vendor.calls[0][1] == {"parameters": ["63f0a1b2c3d4e5", "synchub", "251124_synchub", SECRET, 2052]}
    assert all(
        cookie == "kdservice-sessionid=a1b2c3d4e5f60718293a4b5c6d7e8f90" for _, _, cookie in vendor.calls[1:]
    )
    model = vendor.calls[1][1]["data"]["Model"]
    assert (
        vendor.calls[1][1]["formid"] == "AR_receivable"
        and vendor.calls[1][1]["data"]["IsAutoSubmitAndAudit"] == "true"
    )
    assert (model["FBillNo"], model["FCUSTOMERID"], model["FCURRENCYID"]) == (
        "HT-2026-001-01",
        {"FNumber": "SH000007"},
        {"FNumber": "PRE001"},
    )
    assert (
        model["FEntityDetail"][0]["FEntryTaxRate"] == "13" and model["FAR_Remark"] == "SyncHub:HT-2026-001#1"
    )
    assert not any(SECRET in r.getMessage() or "a1b2c3d4e5f6071829" in r.getMessage() for r in caplog.records)


def test_a_lost_session_logs_in_again_and_replays_once() -> None:
    vendor = Vendor(
        {LOGIN: [fixture("login_ok.json")], SAVE: [fixture("session_lost.json"), fixture("save_ok.json")]}
    )
    assert gateway(vendor).create_bill(BILL, {}).erp_id == "100123"
    assert vendor.ops() == [LOGIN, SAVE, LOGIN, SAVE]
    twice = Vendor({LOGIN: [fixture("login_ok.json")], QUERY: [fixture("session_lost.json")]})
    with pytest.raises(AuthExpiredError, match="session lost"):
        gateway(twice).find_bill(BILL)
    assert twice.ops().count(LOGIN) == 2


def test_a_refused_login_is_fatal_with_a_hint() -> None:
    with pytest.raises(FatalError, match=r"login refused .*check acct_id"):
        gateway(Vendor({LOGIN: [fixture("login_refused.json")]})).find_bill(BILL)


def test_save_errors_map_to_our_types() -> None:
    refused = Vendor({LOGIN: [fixture("login_ok.json")], SAVE: [fixture("save_bad_customer.json")]})
    with pytest.raises(SaveRefused, match=r"validation failed.*FCUSTOMERID"):
        gateway(refused).create_bill(BILL, {})
    duplicate = Vendor(
        {
            LOGIN: [fixture("login_ok.json")],
            SAVE: [fixture("save_duplicate.json")],
            QUERY: [fixture("query_rows.json")],
        }
    )
    found = gateway(duplicate).create_bill(BILL, {})
    assert (found.erp_id, found.number, duplicate.ops()) == ("100123", "HT-2026-001-01", [LOGIN, SAVE, QUERY])
    bad_query = Vendor({LOGIN: [fixture("login_ok.json")], QUERY: [fixture("query_error.json")]})
    with pytest.raises(FatalError, match=r"vendor code 9.*FNOSUCH"):
        gateway(bad_query).find_bill(BILL)


@pytest.mark.parametrize(
    "failure", [503, 504, httpx.ReadTimeout("read timed out"), httpx.RemoteProtocolError("peer closed")]
)
def test_a_save_that_may_have_run_is_ambiguous_and_never_resent(failure: Any) -> None:
    vendor = Vendor({LOGIN: [fixture("login_ok.json")], SAVE: [failure]})
    with pytest.raises(AmbiguousWriteError):
        gateway(vendor).create_bill(BILL, {})
    assert vendor.ops().count(SAVE) == 1


@pytest.mark.parametrize("failure", [429, httpx.ConnectError("refused")])
def test_a_save_that_surely_did_not_run_is_retried(failure: Any) -> None:
    vendor = Vendor({LOGIN: [fixture("login_ok.json")], SAVE: [failure, fixture("save_ok.json")]})
    assert gateway(vendor).create_bill(BILL, {}).erp_id == "100123"
    assert vendor.ops().count(SAVE) == 2


def test_reads_are_retried_and_rows_parsed() -> None:
    vendor = Vendor({LOGIN: [fixture("login_ok.json")], QUERY: [503, fixture("query_rows.json")]})
    found = gateway(vendor).find_bill(BILL)
    assert found is not None and (found.erp_id, found.amount, found.status) == (
        "100123",
        Decimal("180000.0"),
        "C",
    )
    assert vendor.calls[-1][1]["data"]["FilterString"] == "FBillNo='HT-2026-001-01'"
