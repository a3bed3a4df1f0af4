"""Tencent Ads return codes -> what to do next.

From the public code list (developers.e.qq.com/v3.0/docs/errors, seen 2026-11); the same 1xxxx
codes apply to v1.3. Rate-limit codes carry a default wait matching their window.
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
    },
)
