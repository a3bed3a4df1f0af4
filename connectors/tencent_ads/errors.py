"""Tencent Ads return codes -> what to do next.

From the public code list (developers.e.qq.com/v3.0/docs/errors; 110xx read from the page itself,
12xxx/3xxxx/60xxx from a transcription of it, see the README's conformance table); the same codes
apply to v1.3. Rate-limit codes carry a default wait matching their window.
"""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["TENCENT_ADS_CODES"]

R, A, F, X = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL, ErrorKind.REAUTHORIZE

TENCENT_ADS_CODES = VendorCodes(
    "tencent_ads",
    {
        10000: VendorCode(R, "system busy, retry"),
        11000: VendorCode(A, "access token expired"),
        11002: VendorCode(X, "access token invalid"),
        11004: VendorCode(F, "access token malformed"),
        11005: VendorCode(F, "access token empty"),
        11007: VendorCode(F, "client_id invalid"),
        11008: VendorCode(R, "application request limit reached"),
        11009: VendorCode(X, "authorization code expired"),
        11010: VendorCode(X, "refresh token malformed"),
        11011: VendorCode(X, "authorization code malformed"),
        11012: VendorCode(X, "refresh token expired"),
        11013: VendorCode(X, "authorization code already used"),
        11014: VendorCode(F, "API outside the authorised scope"),
        11016: VendorCode(R, "per-second request limit"),
        11017: VendorCode(R, "per-minute request limit", retry_after=60.0),
        11018: VendorCode(R, "per-day request limit: try tomorrow", retry_after=86_400.0),
        11019: VendorCode(R, "requests too frequent"),
        12000: VendorCode(F, "missing or bad access_token, timestamp or nonce"),
        10001: VendorCode(R, "temporary maintenance"),
        12100: VendorCode(R, "nonce used before: a fresh nonce is made on retry"),
        12101: VendorCode(R, "timestamp expired: a fresh timestamp is made on retry"),
        12201: VendorCode(F, "account_id invalid for this token"),
        12203: VendorCode(F, "resource owner may not operate this account_id"),
        32211: VendorCode(F, "advertiser inactive"),
        60001: VendorCode(F, "caller has no permission"),
        60005: VendorCode(R, "leads service frequency limit"),
        60007: VendorCode(R, "failed to get leads, try again"),
        60012: VendorCode(F, "page size exceeded"),
        60013: VendorCode(F, "single page query size exceeded"),
        60014: VendorCode(F, "date missing"),
        60015: VendorCode(F, "date range longer than one year"),
        60020: VendorCode(F, "last_search_after_values of the wrong length"),
        60021: VendorCode(F, "last_search_after_values not numeric"),
        60022: VendorCode(F, "page depth exceeded: last_search_after_values needed"),
    },
)
