"""Yonyou reply codes -> what to do next; the source of each code is in README.md (conformance table).

U8 OpenAPI replies carry ``errcode`` (``"0"`` is success) and ``errmsg``; YonBIP replies carry
``code`` (``"200"`` is success; the token and data-centre APIs answer ``"00000"``) and ``message``.
A YonBIP batch save (``oar/save``) answers ``"200"`` even when it refused bills: that is read from
``data.failCount`` by the gateway (``bip.py``), not here.
"""

from __future__ import annotations

from typing import Any

from connectors.errors import ConnectorError, ErrorKind, RetriableError, VendorCode, VendorCodes

__all__ = ["BIP_CODES", "BIP_DUPLICATE_SUBMIT", "U8_CODES", "U8_TOKEN_EXPIRED", "bip_error", "u8_error"]

R, A, F = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL
U8_TOKEN_EXPIRED = frozenset({"30001", "30005"})
# 310001 "no access token": the gateway did not see one; a fresh token and one replay, as the code table says
BIP_TOKEN_EXPIRED = frozenset({"1090003500065", "310036", "310001"})
BIP_DUPLICATE_SUBMIT = frozenset({"10004", "100004"})  # resubmitCheckKey seen before: read back

U8_CODES = VendorCodes(
    "yonyou",
    {
        "30001": VendorCode(A, "token invalid or expired"),
        "30005": VendorCode(A, "token expired"),
        "30002": VendorCode(F, "tradeid invalid or expired: retry the message to take a new one"),
        "40001": VendorCode(R, "call frequency over the limit", 2.0),
        "50001": VendorCode(R, "gateway busy"),
        "20001": VendorCode(F, "no such record"),
    },
)
BIP_CODES = VendorCodes(
    "yonyou",
    {
        "1090003500065": VendorCode(A, "access token expired"),
        "310036": VendorCode(A, "access token invalid"),
        "310001": VendorCode(A, "no access token"),
        "310032": VendorCode(R, "requests too frequent", 2.0),
        "310039": VendorCode(R, "requests too frequent", 2.0),
        "310042": VendorCode(R, "requests too frequent", 2.0),
        "310046": VendorCode(R, "requests too frequent", 2.0),
        "10018": VendorCode(F, "app does not exist or its appKey is disabled: check app_key"),
        "10004": VendorCode(F, "duplicate submission (resubmitCheckKey already used)"),
        "100004": VendorCode(F, "duplicate submission (resubmitCheckKey already used)"),
        "999": VendorCode(F, "business rule refused the data (e.g. accounting period closed)"),
    },
)


def u8_error(body: Any) -> ConnectorError | None:
    if not isinstance(body, dict):
        return RetriableError("yonyou: U8 reply is not a JSON object", connector="yonyou")
    code = str(body.get("errcode", ""))
    return None if code == "0" else U8_CODES.error(code or "-", str(body.get("errmsg") or ""))


def bip_error(body: Any) -> ConnectorError | None:
    if not isinstance(body, dict):
        return RetriableError("yonyou: YonBIP reply is not a JSON object", connector="yonyou")
    code = str(body.get("code", ""))
    return None if code in ("200", "00000") else BIP_CODES.error(code or "-", str(body.get("message") or ""))
