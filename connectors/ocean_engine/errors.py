"""Ocean Engine reply codes -> what to do next (API-NOTES.md, medium confidence: correct here)."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["OCEAN_ENGINE_CODES"]

R, A, F, X = ErrorKind.RETRY, ErrorKind.REFRESH, ErrorKind.FATAL, ErrorKind.REAUTHORIZE

OCEAN_ENGINE_CODES = VendorCodes(
    "ocean_engine",
    {
        40000: VendorCode(F, "invalid parameters"),
        40002: VendorCode(F, "no permission for this advertiser"),
        40100: VendorCode(R, "requests too frequent"),
        40102: VendorCode(A, "access token expired"),
        40103: VendorCode(X, "refresh token expired"),
        40104: VendorCode(F, "access token missing"),
        40105: VendorCode(A, "access token invalid"),
        50000: VendorCode(R, "system error"),
    },
)
