"""DingTalk robot ``errcode`` -> what to do next (API-NOTES.md, high confidence)."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["DINGTALK_CODES", "THROTTLED_CODES"]

DINGTALK_CODES = VendorCodes(
    "dingtalk",
    {
        310000: VendorCode(
            ErrorKind.FATAL, "signature, keyword or IP check failed: check the robot's secret"
        ),
        300001: VendorCode(ErrorKind.FATAL, "access_token is invalid or the robot was removed"),
        400013: VendorCode(ErrorKind.FATAL, "the group was dissolved"),
        -1: VendorCode(ErrorKind.RETRY, "system busy"),
    },
)
THROTTLED_CODES = frozenset({410100, 130101})  # sent too fast: fold into a digest, never retry in a loop
