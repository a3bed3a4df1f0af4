"""Kingdee against the vendor's own material (issue 17): tests/fixtures/kingdee/sdk, each file named
with its source in the README there. The signed headers equal what the official SDK computed for fixed
inputs; the AR_receivable Save carries every field the form's document marks required; each documented
reply maps to its outcome; the simulator refuses what the vendor refuses; every cookie comes back."""

from __future__ import annotations

import base64
import codecs
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import AuthExpiredError, FatalError, ReauthorizeError
from connectors.kingdee import KingdeeGateway, KingdeeSettings, SaveRefused
from connectors.kingdee.client import KingdeeClient
from connectors.kingdee.errors import is_duplicate_number, response_status, status_error
from connectors.kingdee.signing import SignedIdentity, api_secret, sign_string, signed_headers
from connectors.sandbox.erp_state import ERP_CREDENTIALS
from connectors.sandbox.kingdee import sandbox_settings
from connectors.sandbox.kingdee_auth import _gateway_secret
from mapping.erp.codes import load_erp_codes

from .conftest import Erp
from .test_kingdee import BILL

SDK = Path(__file__).resolve().parents[1] / "fixtures" / "kingdee" / "sdk"
SIGNED = json.loads((SDK / "signed_headers_sdk820.json").read_text(encoding="utf-8"))
INPUTS = SIGNED["inputs"]
SAVE = "DynamicFormService.Save"


def fixture(name: str) -> Any:
    return json.loads((SDK / name).read_text(encoding="utf-8"))


def signed_settings(**overrides: Any) -> KingdeeSettings:
    values: dict[str, Any] = {
        "base_url": INPUTS["server_url"],
        "acct_id": INPUTS["acct_id"],
        "username": INPUTS["user_name"],
        "app_id": INPUTS["app_id"],
        "app_secret": INPUTS["app_secret"],
        "lcid": INPUTS["lcid"],
        "org_num": INPUTS["org_num"],
        "retry_initial_wait": 0.0,
    }
    return KingdeeSettings(**{**values, **overrides})


class Vendor:
    """Replies in turn per operation; ``cookies`` are Set-Cookie lines added to the first reply."""

    def __init__(self, routes: dict[str, list[Any]], cookies: list[str] | None = None) -> None:
        self.routes, self.cookies = routes, list(cookies or [])
        self.requests: list[httpx.Request] = []
        self.headers: list[httpx.Headers] = []  # as sent (a replay re-sends the same request object)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.headers.append(httpx.Headers(request.headers))
        op = request.url.path.split("ServicesStub.")[1].removesuffix(".common.kdsvc")
        replies = self.routes[op]
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        headers = [("Set-Cookie", line) for line in self.cookies]
        self.cookies = []
        return httpx.Response(200, json=reply, headers=headers)


def signed_gateway(vendor: Vendor, **overrides: Any) -> KingdeeGateway:
    gw = KingdeeGateway(
        signed_settings(**overrides), load_erp_codes("kingdee"), transport=httpx.MockTransport(vendor)
    )
    gw.client.auth.clock = lambda: float(INPUTS["timestamp"])  # type: ignore[union-attr]
    return gw


def set_cookie_lines() -> list[str]:
    text = (SDK / "login_set_cookie.txt").read_text(encoding="utf-8")
    return [line.removeprefix("Set-Cookie: ") for line in text.splitlines() if line]


# -- signature -------------------------------------------------------------------------------------
def test_the_gateway_secret_decoding_is_the_sdks_in_both_spellings() -> None:
    """The Python SDK writes the XOR key as ROT13 of a seed; the Java copy writes it out."""
    seed = "0054s397p6234378o09pn7q3r5qropr7"
    key = codecs.encode(seed, "rot13").encode()
    assert key == b"0054f397c6234378b09ca7d3e5debce7"
    raw = base64.b64decode(INPUTS["app_id"].split("_")[1])
    by_hand = base64.b64encode(bytes(b ^ k for b, k in zip(raw, key, strict=False))).decode()
    assert api_secret(INPUTS["app_id"]) == by_hand == SIGNED["derived"]["client_sec"]
    assert _gateway_secret(INPUTS["app_id"]) == by_hand  # the simulator's own copy agrees
    assert api_secret("251124_synchub") is None and api_secret("1_2_" + "A" * 32) is None


def test_signed_headers_for_fixed_inputs_equal_the_sdks_output() -> None:
    identity = SignedIdentity(
        INPUTS["acct_id"], INPUTS["user_name"], INPUTS["app_id"], INPUTS["app_secret"], 2052, 100
    )
    path = "/k3cloud/" + INPUTS["service"] + ".common.kdsvc"
    assert sign_string(path, "1767225600", "1767225600") == SIGNED["derived"]["string_to_sign"]
    ours = signed_headers(identity, path, INPUTS["timestamp"])
    assert ours == {k: v for k, v in SIGNED["headers"].items() if k in ours}
    assert set(SIGNED["headers"]) - set(ours) == {"Accept-Charset", "User-Agent", "Content-Type"}


def test_a_signed_save_goes_out_with_the_sdks_headers_then_every_cookie() -> None:
    vendor = Vendor({SAVE: [fixture("audit_ok.json")]}, cookies=set_cookie_lines())
    client = signed_gateway(vendor).client
    client.write("Save", "AR_receivable", {"Model": {}})
    client.write("Save", "AR_receivable", {"Model": {}})
    first, second = vendor.requests
    for name, value in SIGNED["headers"].items():
        if name not in ("User-Agent", "Accept-Charset"):
            assert first.headers[name] == value, name
    assert "Cookie" not in first.headers and "kdservice-sessionid" not in first.headers
    assert first.url == SIGNED["url"] and json.loads(first.content)["formid"] == "AR_receivable"
    cookies = dict(part.split("=", 1) for part in second.headers["Cookie"].split("; "))
    assert cookies == {
        "kdservice-sessionid": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "ASP.NET_SessionId": "f0e1d2c3b4a5968778695a4b",
    }
    assert second.headers["kdservice-sessionid"] == SIGNED["headers_after_login"]["kdservice-sessionid"]


def test_an_app_id_that_is_not_the_issued_form_is_refused_before_sending() -> None:
    vendor = Vendor({SAVE: [fixture("audit_ok.json")]})
    with pytest.raises(FatalError, match="APP_ID must be <client id>_<32 characters>"):
        signed_gateway(vendor, app_id="251124_synchub").client.write("Save", "AR_receivable", {})
    assert vendor.requests == []


def test_session_login_also_keeps_and_returns_every_cookie() -> None:
    login = {"LoginResultType": 1, "KDSVCSessionId": "a1b2c3d4e5f60718293a4b5c6d7e8f90"}
    vendor = Vendor(
        {"AuthService.LoginByAppSecret": [login], SAVE: [fixture("audit_ok.json")]},
        cookies=set_cookie_lines(),
    )
    client = KingdeeClient(signed_settings(login="app_secret"), transport=httpx.MockTransport(vendor))
    client.write("Save", "AR_receivable", {})
    cookie = vendor.requests[1].headers["Cookie"]
    assert sorted(cookie.split("; ")) == [
        "ASP.NET_SessionId=f0e1d2c3b4a5968778695a4b",
        "kdservice-sessionid=a1b2c3d4e5f60718293a4b5c6d7e8f90",
    ]


# -- the Save body -----------------------------------------------------------------------------------
def _shape(value: Any) -> Any:
    """A reference is {"FNumber": ...} (the key's case varies between forms); text and numbers as such."""
    if isinstance(value, dict):
        return {k.lower(): _shape(v) for k, v in value.items()}
    return type(value).__name__ if not isinstance(value, int | float) else "number"


def test_the_receivable_save_carries_every_documented_required_field_in_the_documented_shape() -> None:
    vendor = Vendor({SAVE: [json.loads((SDK.parent / "save_ok.json").read_text(encoding="utf-8"))]})
    signed_gateway(vendor).create_bill(BILL, {})
    body, documented = json.loads(vendor.requests[0].content), fixture("ar_receivable_save_request.json")
    required = fixture("ar_receivable_required_fields.json")
    assert body["formid"] == documented["formid"] == required["formid"]
    ours, theirs = body["data"]["Model"], documented["data"]["Model"]
    for key in required["header"]:
        assert key in theirs, f"the vendor's example lacks {key}"
        assert _shape(ours[key]) == _shape(theirs[key]), key
    for key in required["FsubHeadFinc"]:
        assert _shape(ours["FsubHeadFinc"][key]) == _shape(theirs["FsubHeadFinc"][key]), key
    assert ours["FCancelStatus"] == theirs["FCancelStatus"] == "A"
    finance = ours["FsubHeadFinc"]
    assert finance["FEXCHANGETYPE"] == theirs["FsubHeadFinc"]["FEXCHANGETYPE"] == {"FNumber": "HLTX01_SYS"}
    assert finance["FMAINBOOKSTDCURRID"] == {"FNumber": "PRE001"} and finance["FExchangeRate"] == 1
    assert theirs["FsubHeadFinc"]["FACCNTTIMEJUDGETIME"] == theirs["FDATE"]
    assert finance["FACCNTTIMEJUDGETIME"] == ours["FDATE"] == "2026-11-20"
    assert isinstance(ours["FEntityDetail"], list) and isinstance(ours["FEntityPlan"], list)


def test_the_per_account_set_codes_come_from_settings() -> None:
    vendor = Vendor({SAVE: [json.loads((SDK.parent / "save_ok.json").read_text(encoding="utf-8"))]})
    signed_gateway(vendor, main_book_currency="PRE007", exchange_type="HLTX02_SYS").create_bill(BILL, {})
    finance = json.loads(vendor.requests[0].content)["data"]["Model"]["FsubHeadFinc"]
    assert finance["FMAINBOOKSTDCURRID"] == {"FNumber": "PRE007"}
    assert finance["FEXCHANGETYPE"] == {"FNumber": "HLTX02_SYS"} and "FExchangeRate" not in finance


# -- replies -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind", "code"),
    [
        ("audit_ok.json", None, None),
        ("save_missing_required.json", FatalError, 11),
        ("save_unique_violation.json", FatalError, 11),
        ("audit_already_audited.json", FatalError, 11),
        ("session_lost.json", AuthExpiredError, 1),
    ],
)
def test_each_documented_reply_maps_to_its_outcome(
    name: str, kind: type[Exception] | None, code: int
) -> None:
    status = response_status(fixture(name))
    assert status is not None
    error = status_error(status)
    if kind is None:
        assert error is None
        return
    assert isinstance(error, kind) and error.code == code
    assert is_duplicate_number(status) == (name == "save_unique_violation.json")


def test_a_refused_save_names_the_missing_field() -> None:
    vendor = Vendor({SAVE: [fixture("save_missing_required.json")]})
    with pytest.raises(SaveRefused, match="FCancelStatus: 字段“作废状态”是必填项") as refused:
        signed_gateway(vendor).create_bill(BILL, {})
    assert refused.value.reply_status["MsgCode"] == 11 and len(vendor.requests) == 1


def test_signed_session_lost_replays_once_without_the_stale_cookies_then_needs_reauthorising() -> None:
    ok = json.loads((SDK.parent / "save_ok.json").read_text(encoding="utf-8"))
    vendor = Vendor({SAVE: [fixture("audit_ok.json"), fixture("session_lost.json"), ok]}, set_cookie_lines())
    gw = signed_gateway(vendor)
    gw.client.write("Save", "AR_receivable", {})
    assert gw.create_bill(BILL, {}).erp_id == "100123"
    assert "Cookie" in vendor.headers[1] and "Cookie" not in vendor.headers[2]
    refused = Vendor({SAVE: [fixture("session_lost.json")]})
    with pytest.raises(ReauthorizeError, match="第三方系统登录授权"):
        signed_gateway(refused).create_bill(BILL, {})
    assert len(refused.requests) == 2


# -- the simulator -----------------------------------------------------------------------------------
def _model_without(key: str, finance: bool = False) -> dict[str, Any]:
    model: dict[str, Any] = fixture("ar_receivable_save_request.json")["data"]["Model"]
    del (model["FsubHeadFinc"] if finance else model)[key]
    return model


@pytest.mark.parametrize(("key", "finance"), [("FCancelStatus", False), ("FEXCHANGETYPE", True)])
def test_the_simulator_refuses_a_save_without_a_required_field(erp: Erp, key: str, finance: bool) -> None:
    settings = sandbox_settings(erp.base_url, retry_initial_wait=0.0)
    with KingdeeClient(settings) as client, pytest.raises(SaveRefused) as refused:
        client.write("Save", "AR_receivable", {"Model": _model_without(key, finance)})
    status, documented = refused.value.reply_status, fixture("save_missing_required.json")
    assert set(status) == set(documented["Result"]["ResponseStatus"]) and status["MsgCode"] == 11
    assert [e["FieldName"] for e in status["Errors"]] == [key] and status["ErrorCode"] == 500
    if key == "FCancelStatus":
        assert status["Errors"] == documented["Result"]["ResponseStatus"]["Errors"]


def test_the_simulator_refuses_a_bad_signature_as_a_lost_session(erp: Erp) -> None:
    bad = sandbox_settings(erp.base_url, app_secret="not-the-secret", retry_initial_wait=0.0)
    with KingdeeClient(bad) as client, pytest.raises(ReauthorizeError):
        client.query("BD_Customer", ["FNumber"], "")
    assert erp.state.stats["kingdee"]["refused.bad X-Kd-Signature"] == 2
    creds = ERP_CREDENTIALS["kingdee"]
    identity = SignedIdentity(creds["acct_id"], creds["username"], creds["app_id"], creds["app_secret"])
    view = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.View.common.kdsvc"
    headers = signed_headers(identity, view, int(time.time()))  # signed for another path
    stale = signed_headers(identity, view, int(time.time()) - 3600)
    assert httpx.post(erp.base_url + view, headers=stale, json={}).json() == fixture("session_lost.json")
    assert erp.state.stats["kingdee"]["refused.stale timestamp"] == 1
    assert (
        httpx.post(erp.base_url + view, headers=headers, json={}).json()["Result"]["ResponseStatus"][
            "MsgCode"
        ]
        == 10
    )
    path = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc"
    reply = httpx.post(erp.base_url + path, headers=headers, json={"formid": "AR_receivable", "data": {}})
    assert reply.status_code == 200 and reply.json() == fixture("session_lost.json")
    assert erp.state.stats["kingdee"]["refused.bad X-Api-Signature"] == 1


@pytest.mark.parametrize("login", ["signed", "app_secret"])
def test_the_simulator_sets_two_cookies_and_sees_both_come_back(erp: Erp, login: str) -> None:
    with KingdeeClient(sandbox_settings(erp.base_url, login=login)) as client:
        client.query("BD_Customer", ["FNumber"], "")
        client.query("BD_Customer", ["FNumber"], "")
        assert {c.name for c in client.http.cookies.jar} == {"kdservice-sessionid", "ASP.NET_SessionId"}
    stats = erp.state.stats["kingdee"]
    assert stats["cookies.all_returned"] == (1 if login == "signed" else 2)
    assert stats["login"] == (0 if login == "signed" else 1)
