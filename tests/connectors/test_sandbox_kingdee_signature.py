"""The Kingdee simulator's own signature check against the vendor SDK's output (issue 23).

tests/fixtures/kingdee/sdk/signed_headers_sdk820.json holds the headers Kingdee's own Python SDK 8.2.0
(``WebApiClient.BuildHeader``) computed for fixed inputs: a known answer from the vendor's code, not ours.
tests/finance/test_kingdee_vendor.py holds the connector to it and the simulator's gateway-secret
decoding; here the simulator's whole check (connectors/sandbox/kingdee_auth.py, written apart from the
connector) must accept exactly those headers for those inputs, and refuse each one altered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from starlette.requests import Request

from connectors.sandbox import kingdee_auth
from connectors.sandbox.erp_state import ERP_CREDENTIALS, ErpState
from connectors.sandbox.kingdee_auth import SandboxAuth

SDK = Path(__file__).resolve().parents[1] / "fixtures" / "kingdee" / "sdk"
SIGNED: dict[str, Any] = json.loads((SDK / "signed_headers_sdk820.json").read_text(encoding="utf-8"))
INPUTS = SIGNED["inputs"]


def _request(headers: dict[str, str]) -> Request:
    url = urlsplit(SIGNED["url"])
    scope = {
        "type": "http",
        "method": "POST",
        "path": url.path,
        "raw_path": url.path.encode(),
        "query_string": url.query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "scheme": url.scheme,
        "server": (url.hostname, 443),
    }
    return Request(scope)


@pytest.fixture
def sdk_account(monkeypatch: pytest.MonkeyPatch) -> SandboxAuth:
    """The simulator holding the SDK run's account, at the SDK run's clock."""
    account = {"acct_id": INPUTS["acct_id"], "username": INPUTS["user_name"],
               "app_id": INPUTS["app_id"], "app_secret": INPUTS["app_secret"]}  # fmt: skip
    for key, value in account.items():
        monkeypatch.setitem(ERP_CREDENTIALS["kingdee"], key, value)
    monkeypatch.setattr(kingdee_auth.time, "time", lambda: float(INPUTS["timestamp"]))
    return SandboxAuth(ErpState())


def test_the_simulator_accepts_the_sdks_own_signed_headers(sdk_account: SandboxAuth) -> None:
    assert sdk_account.signature_problem(_request(SIGNED["headers"])) is None


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("X-Kd-Signature", "bad X-Kd-Signature"),
        ("X-Api-Signature", "bad X-Api-Signature"),
        ("x-api-nonce", "bad X-Api-Signature"),  # the nonce is signed
        ("X-Kd-Appkey", "unknown app"),
    ],
)
def test_the_simulator_refuses_each_altered_header(
    sdk_account: SandboxAuth, header: str, problem: str
) -> None:
    headers = dict(SIGNED["headers"])
    value = headers[header]
    headers[header] = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    assert sdk_account.signature_problem(_request(headers)) == problem


def test_the_simulator_refuses_the_sdks_headers_ten_minutes_later(
    sdk_account: SandboxAuth, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kingdee_auth.time, "time", lambda: float(INPUTS["timestamp"]) + 601)
    assert sdk_account.signature_problem(_request(SIGNED["headers"])) == "stale timestamp"
