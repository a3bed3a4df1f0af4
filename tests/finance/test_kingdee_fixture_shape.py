"""Kingdee's signed receivable Save behind a fixture transport that checks the request first (issue 23).

tests/finance/test_kingdee_vendor.py routes fixture replies by operation name whatever else the request
holds; here the documented request (tests/fixtures/kingdee/sdk: the SDK 8.2.0 run on fixed inputs for
the URL and signed headers, the vendor's AR_receivable example for the body) is enforced by
``tests.connectors.support.documented_transport``: the gateway's Save must conform, a request of
another shape (method, path, a signed header, a body key) is refused with Kingdee's ResponseStatus
envelope, and a gateway refused for its shape fails loudly after one request.

The refusal envelope is the shape of the fixtures' ``session_lost.json`` / ``save_missing_required.json``
(``Result.ResponseStatus``); its text and HTTP 400 are ours (the gateway's answer to a malformed call is
not published).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.errors import ConnectorError, FatalError
from connectors.kingdee import KingdeeGateway
from mapping.erp.codes import load_erp_codes
from tests.connectors.support import Documented, documented_transport

from .test_kingdee import BILL
from .test_kingdee_vendor import INPUTS, SIGNED, signed_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "kingdee"
ERROR = {"Result": {"ResponseStatus": {
    "ErrorCode": 500, "IsSuccess": False, "MsgCode": 0, "SuccessEntitys": [], "SuccessMessages": [],
    "Errors": [{"FieldName": None, "Message": "request does not match the documented shape", "DIndex": 0}]}}}  # fmt: skip
# the headers the SDK signs and sends (not its User-Agent, charset or content type)
SIGNED_HEADERS = tuple(
    h for h in SIGNED["headers"] if h not in ("Accept-Charset", "User-Agent", "Content-Type")
)
EXPECT = replace(
    Documented.from_fixture(
        FIXTURES / "sdk" / "ar_receivable_save_request.json", error=ERROR, method="POST", url=SIGNED["url"]
    ),
    headers=SIGNED_HEADERS,
)
SAVE_OK = json.loads((FIXTURES / "save_ok.json").read_text(encoding="utf-8"))


def gateway(transport: httpx.BaseTransport) -> KingdeeGateway:
    gw = KingdeeGateway(signed_settings(), load_erp_codes("kingdee"), transport=transport)
    gw.client.auth.clock = lambda: float(INPUTS["timestamp"])  # type: ignore[union-attr]
    return gw


def _conforming() -> httpx.Request:
    transport = documented_transport(EXPECT, SAVE_OK)
    gateway(transport).create_bill(BILL, {})
    assert len(transport.seen) == 1 and transport.refused == [], transport.refused
    return transport.seen[0]


def _reshaped(request: httpx.Request, change: str) -> httpx.Request:
    url, content, method = request.url, request.content, request.method
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    if change == "method":
        method = "PUT"
    elif change == "path":
        url = url.copy_with(path=url.path.replace(".Save.", ".Save2."))
    elif change == "headers":
        headers = {k: v for k, v in headers.items() if k.lower() != "x-api-signature"}
    else:
        body = json.loads(content)
        body["data"].pop("Model")
        content = json.dumps(body, ensure_ascii=False).encode()
    return httpx.Request(method, url, headers=headers, content=content)


def test_the_signed_save_has_the_documented_shape() -> None:
    request = _conforming()
    assert EXPECT.problems(request) == []
    assert {"formid", "data", "data.Model"} <= set(EXPECT.body)  # the check has something to check


@pytest.mark.parametrize("change", ["method", "path", "headers", "body"])
def test_a_save_of_another_shape_gets_kingdees_error(change: str) -> None:
    good = _conforming()
    transport = documented_transport(EXPECT, SAVE_OK)
    assert transport.handle_request(good).status_code == 200
    refused = transport.handle_request(_reshaped(good, change))
    assert refused.status_code == 400
    refused.read()
    assert refused.json() == ERROR
    named = {"headers": "header"}.get(change, change)
    assert len(transport.refused) == 1 and " ".join(transport.refused[0]).startswith(named)


@pytest.mark.parametrize("change", ["method", "path", "headers", "body"])
def test_a_gateway_refused_for_its_shape_fails_loudly(change: str) -> None:
    stricter: dict[str, Any] = {
        "method": replace(EXPECT, method="PUT"),
        "path": replace(EXPECT, path=EXPECT.path + "-v2"),
        "headers": replace(EXPECT, headers=(*EXPECT.headers, "X-Undocumented")),
        "body": replace(EXPECT, body=(*EXPECT.body, "undocumented_key")),
    }
    transport = documented_transport(stricter[change], SAVE_OK)
    with pytest.raises(ConnectorError) as err:
        gateway(transport).create_bill(BILL, {})
    assert type(err.value) is FatalError and "400" in str(err.value)
    assert transport.refused and len(transport.seen) == 1  # refused once, not retried
