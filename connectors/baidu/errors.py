"""Baidu failure codes -> what to do next.

Access and system codes are from Baidu's published SEM API code list (cloud.baidu.com/doc/SEM,
seen 2026-11). The access-token codes 8104/8105 and the OAuth refresh codes are NOT confirmed by a
public source: they are what the sandbox uses; correct them here when the real values are known.
"""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["BAIDU_CODES", "BAIDU_OAUTH_CODES"]

R, A, F, X = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL, ErrorKind.REAUTHORIZE

BAIDU_CODES = VendorCodes(
    "baidu",
    {
        400: VendorCode(F, "bad request body"),
        403: VendorCode(F, "not on the API whitelist"),
        405: VendorCode(R, "service busy, retry"),
        421: VendorCode(R, "requests over the QPS limit"),
        502: VendorCode(R, "too many connections, retry later"),
        800: VendorCode(R, "server internal error"),
        801: VendorCode(F, "IP blocked after repeated bad credentials"),
        802: VendorCode(F, "blocked after repeated bad passwords"),
        8002: VendorCode(F, "JSON message invalid"),
        8101: VendorCode(F, "userName missing in the request header"),
        8104: VendorCode(A, "accessToken expired (unconfirmed code)"),
        8105: VendorCode(X, "accessToken invalid (unconfirmed code)"),
        8106: VendorCode(F, "userName not authorised for this token (unconfirmed code)"),
    },
)

BAIDU_OAUTH_CODES = VendorCodes(
    "baidu",
    {
        110: VendorCode(X, "refresh token expired (unconfirmed code)"),
        111: VendorCode(X, "refresh token invalid (unconfirmed code)"),
        429: VendorCode(R, "OAuth requests too frequent (unconfirmed code)"),
    },
    default=ErrorKind.REAUTHORIZE,
)
