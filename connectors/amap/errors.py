"""Amap ``infocode`` -> what to do next, and the quota error. Sources and confidence: the conformance
table in this folder's README.md.

A daily quota code is neither retriable nor fatal: it stops every call until the quota renews
(midnight, Beijing time), and the callers keep their addresses waiting for then.
"""

from __future__ import annotations

from datetime import datetime

from connectors.errors import ConnectorError, ErrorKind, VendorCode, VendorCodes

__all__ = ["AMAP_CODES", "QUOTA_CODES", "QuotaExhaustedError"]

R, F, S = ErrorKind.RETRY, ErrorKind.FATAL, ErrorKind.SKIP

AMAP_CODES = VendorCodes(
    "amap",
    {
        "10001": VendorCode(F, "INVALID_USER_KEY: the key is wrong or disabled; check SYNCHUB_AMAP_KEY"),
        "10002": VendorCode(F, "SERVICE_NOT_AVAILABLE: the key has no geocoding service"),
        "10004": VendorCode(R, "ACCESS_TOO_FREQUENT: blocked until the next minute", retry_after=60.0),
        "10005": VendorCode(F, "INVALID_USER_IP: this machine's IP is not on the key's allow-list"),
        "10007": VendorCode(F, "INVALID_USER_SIGNATURE: check SYNCHUB_AMAP_PRIVATE_KEY"),
        "10014": VendorCode(R, "QPS over the key's limit", retry_after=1.0),
        "10019": VendorCode(R, "QPS over the service's limit", retry_after=1.0),
        "10020": VendorCode(R, "QPS over the interface's limit", retry_after=1.0),
        "10021": VendorCode(R, "QPS over the account's limit", retry_after=1.0),
        "20000": VendorCode(S, "INVALID_PARAMS"),
        "20003": VendorCode(R, "UNKNOWN_ERROR"),
        "30001": VendorCode(R, "ENGINE_RESPONSE_DATA_ERROR"),
    },
)

QUOTA_CODES = frozenset({"10003", "10044"})  # DAILY_QUERY_OVER_LIMIT, USER_DAILY_QUERY_OVER_LIMIT


class QuotaExhaustedError(ConnectorError):
    """The key's daily quota is used up; no call is made before ``resume_at``."""

    def __init__(self, message: str, *, resume_at: datetime, code: str | None = None) -> None:
        super().__init__(message, connector="amap", code=code)
        self.resume_at = resume_at
