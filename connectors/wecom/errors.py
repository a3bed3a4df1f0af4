"""WeCom robot ``errcode`` -> what to do next (API-NOTES.md, high confidence)."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["THROTTLED_CODES", "WECOM_CODES"]

WECOM_CODES = VendorCodes(
    "wecom",
    {
        93000: VendorCode(ErrorKind.FATAL, "invalid webhook key: check SYNCHUB_WECOM_ROBOTS"),
        40008: VendorCode(ErrorKind.FATAL, "invalid message type"),
        -1: VendorCode(ErrorKind.RETRY, "system busy"),
    },
)
THROTTLED_CODES = frozenset({45009})  # over the frequency limit: fold into a digest, never retry in a loop
