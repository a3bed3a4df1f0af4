"""WeCom robot ``errcode`` -> what to do next. Sources and confidence: the conformance table in this
folder's README.md. A rate-limit code is held, never dropped: the client reports it as throttled and
the hub folds the message into a later digest."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["THROTTLED_CODES", "WECOM_CODES"]

WECOM_CODES = VendorCodes(
    "wecom",
    {
        93000: VendorCode(ErrorKind.FATAL, "invalid webhook key: check SYNCHUB_WECOM_ROBOTS"),
        40008: VendorCode(ErrorKind.FATAL, "invalid message type (不合法的msgtype)"),
        45009: VendorCode(ErrorKind.RETRY, "api freq out of limit (接口调用超过限制)", retry_after=60.0),
        -1: VendorCode(ErrorKind.RETRY, "system busy (系统繁忙), retry at most 3 times"),
    },
)
THROTTLED_CODES = frozenset({45009})  # 20 messages a minute per robot: held and folded into a digest
