"""Baidu failure codes -> what to do next (sources and confidence: the conformance table in README.md).

- Access (4xx) and system (8xx) codes: Baidu's published code list for its SEM API,
  https://cloud.baidu.com/doc/SEM/s/Xjwvxuu33 (2019-08-08). Written for the BCE-hosted SEM API; that
  they also apply to ``api.baidu.com/json/sms/service`` is not confirmed (medium).
- Access-token codes 89403, 89405, 89406, 894061-894064, 89407: a public client's list of "token codes
  that need a refresh or a new authorisation", citing Baidu's doc 0003 section 5 (medium-low). Which
  code means expired and which revoked is not published, so each one refreshes once and replays once;
  if the refreshed token is refused too, the refresh itself fails (re-authorise) or the replay's
  error surfaces.
- OAuth (``u.baidu.com/oauth``): only ``code == 0`` (success) and 30002 (a wrong appId, in the SDK's
  own test) are sourced; every other non-zero refresh code needs a person (re-authorise).
"""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["BAIDU_CODES", "BAIDU_OAUTH_CODES", "TOKEN_CODES"]

R, A, F, X = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL, ErrorKind.REAUTHORIZE

TOKEN_CODES = (89403, 89405, 89406, 894061, 894062, 894063, 894064, 89407)

BAIDU_CODES = VendorCodes(
    "baidu",
    {
        400: VendorCode(F, "request body error"),
        403: VendorCode(F, "not on the API whitelist"),
        404: VendorCode(F, "API service not found (host or path)"),
        405: VendorCode(R, "service busy, retry"),
        421: VendorCode(R, "requests over the QPS limit"),
        502: VendorCode(R, "too many connections, retry later"),
        800: VendorCode(R, "server internal error"),
        801: VendorCode(F, "IP blocked after repeated bad user names, passwords or tokens"),
        802: VendorCode(F, "blocked after repeated bad passwords"),
        8002: VendorCode(F, "JSON message invalid"),
        8101: VendorCode(F, "userName missing in the request header"),
        **{code: VendorCode(A, "access token refused (refresh or re-authorise)") for code in TOKEN_CODES},
    },
)

BAIDU_OAUTH_CODES = VendorCodes(
    "baidu",
    {30002: VendorCode(X, "appId not recognised")},
    default=ErrorKind.REAUTHORIZE,
)
