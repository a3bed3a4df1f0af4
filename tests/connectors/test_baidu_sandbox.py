"""The Baidu simulator answers in the vendor's nested shape and refuses what the vendor refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from connectors.baidu.payloads import BaiduEnvelope
from connectors.sandbox import SANDBOX_CREDENTIALS, RunningSandbox
from connectors.sandbox.state import initial_token

from .support import harness, pull, records_of

PATH = "/json/sms/service/LeadsNoticeService/getNoticeList"
CREDS = SANDBOX_CREDENTIALS["baidu"]
USER = CREDS["user_names"][0]
BODY = {"solutionType": "form", "startDate": "2026-11-01 00:00:00", "endDate": "2026-11-30 23:59:59",
        "pageNo": 1, "pageSize": 5}  # fmt: skip


def call(sandbox: RunningSandbox, body: dict[str, Any] | None = None, **header: Any) -> dict[str, Any]:
    head = {"userName": USER, "accessToken": sandbox.state.tokens["baidu"].access_token, **header}
    envelope = {
        "header": {k: v for k, v in head.items() if v is not None},
        "body": BODY if body is None else body,
    }
    reply = httpx.post(sandbox.base_url + PATH, json=envelope)
    assert reply.status_code == 200
    return dict(reply.json())


def failure(reply: dict[str, Any]) -> tuple[int, int]:
    BaiduEnvelope.model_validate(reply)
    return reply["header"]["status"], reply["header"]["failures"][0]["code"]


def test_a_page_has_the_sdk_shape_with_its_total(sandbox: RunningSandbox) -> None:
    reply = call(sandbox)
    BaiduEnvelope.model_validate(reply)
    assert reply["header"]["status"] == 0 and list(reply["body"]) == ["data"]
    (block,) = reply["body"]["data"]
    assert set(block) == {"totalNum", "rowNumber", "noticeDetailList"}
    in_window = [
        r for r in sandbox.state.records["baidu"][USER] if "2026-11-01" <= r["commitTime"] <= "2026-12-01"
    ]
    assert (
        block["totalNum"] == len(in_window) > 5 and block["rowNumber"] == len(block["noticeDetailList"]) == 5
    )
    lead = block["noticeDetailList"][0]
    assert (
        isinstance(lead["clueId"], str) and isinstance(lead["formDetail"], str) and "cluePhoneNumber" in lead
    )


@pytest.mark.parametrize("missing", ["solutionType", "startDate", "endDate"])
def test_a_missing_required_body_field_is_refused(sandbox: RunningSandbox, missing: str) -> None:
    reply = call(sandbox, {k: v for k, v in BODY.items() if k != missing})
    assert failure(reply) == (3, 400) and reply["header"]["failures"][0]["field"] == missing


@pytest.mark.parametrize(
    "change",
    [
        {"solutionType": "coupon"},
        {"startDate": "2026-10-01 00:00:00"},
        {"endDate": "tomorrow"},
        {"pageNo": 0},
        {"pageSize": "5"},
    ],
)
def test_a_bad_body_value_is_refused(sandbox: RunningSandbox, change: dict[str, Any]) -> None:
    assert failure(call(sandbox, {**BODY, **change})) == (3, 400)


def test_a_date_only_window_is_read_as_whole_days(sandbox: RunningSandbox) -> None:
    dated = call(sandbox, {**BODY, "startDate": "2026-11-01", "endDate": "2026-11-30"})
    assert dated["body"]["data"][0]["totalNum"] == call(sandbox)["body"]["data"][0]["totalNum"] > 0


def test_another_solution_type_has_its_own_leads(sandbox: RunningSandbox) -> None:
    reply = call(sandbox, {**BODY, "solutionType": "phone"})
    assert reply["body"]["data"][0]["totalNum"] == 0 and reply["body"]["data"][0]["noticeDetailList"] == []


def test_credentials_and_envelope_are_checked(sandbox: RunningSandbox) -> None:
    assert failure(call(sandbox, userName=None)) == (3, 8101)
    assert failure(call(sandbox, accessToken="not-a-token")) == (3, 89403)
    assert failure(call(sandbox, accessToken=None)) == (3, 89403)
    assert failure(call(sandbox, userName="someone-else")) == (3, 403)
    sandbox.state.faults["baidu"].update({"expire_access_token": True})
    assert failure(call(sandbox)) == (3, 89406)
    garbled = httpx.post(
        sandbox.base_url + PATH, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert failure(garbled.json()) == (3, 8002)


def test_only_post_is_answered(sandbox: RunningSandbox) -> None:
    assert httpx.get(sandbox.base_url + PATH).status_code == 405
    assert httpx.get(sandbox.base_url + "/oauth/refreshToken").status_code == 405


def test_refresh_checks_app_user_and_token(sandbox: RunningSandbox) -> None:
    url = sandbox.base_url + "/oauth/refreshToken"
    good = {"appId": CREDS["app_id"], "refreshToken": initial_token("baidu", "refresh"),
            "secretKey": CREDS["secret_key"], "userId": int(CREDS["user_id"])}  # fmt: skip
    assert httpx.post(url, json={**good, "appId": "x"}).json()["code"] == 30002
    assert httpx.post(url, json={**good, "userId": 1}).json()["code"] != 0
    assert httpx.post(url, json={**good, "refreshToken": "old"}).json()["code"] != 0
    reply = httpx.post(url, json=good).json()
    assert reply["code"] == 0 and set(reply["data"]) >= {"accessToken", "refreshToken", "expiresIn", "userId"}


def test_the_connector_pages_the_sandbox_to_its_total(sandbox: RunningSandbox) -> None:
    h = harness(sandbox, "baidu", page_size=4)
    records = records_of(pull(h.connector, "leads", USER))
    assert len(records) == len(sandbox.state.records["baidu"][USER])
    assert sandbox.state.stats["baidu"]["requests"] >= len(records) / 4
