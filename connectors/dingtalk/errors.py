"""DingTalk robot ``errcode`` -> what to do next. Sources and confidence: the conformance table in
this folder's README.md.

Rate-limit codes are held, never dropped: the client reports them as throttled and the hub keeps the
message and folds it into a later digest. ``retry_after`` is the documented penalty (20 messages a
minute per robot; past it the robot is throttled for 10 minutes) for a caller that schedules the retry.
"""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["DINGTALK_CODES", "THROTTLED_CODES", "THROTTLE_SECONDS"]

R, F = ErrorKind.RETRY, ErrorKind.FATAL
THROTTLE_SECONDS = 600.0  # "每个机器人每分钟最多发送20条。如果超过20条,会限流10分钟"

DINGTALK_CODES = VendorCodes(
    "dingtalk",
    {
        310000: VendorCode(
            F,
            "security check failed (sign not match / keywords not in content / IP not in whitelist): "
            "check the robot's secret, keywords and IP allow-list",
        ),
        300001: VendorCode(
            F, "token is not exist: the robot's access_token is wrong or the robot was removed"
        ),
        400013: VendorCode(F, "the group was dissolved"),
        -1: VendorCode(R, "system busy"),
        130101: VendorCode(R, "send too fast, exceed 20 times per minute", retry_after=THROTTLE_SECONDS),
        410100: VendorCode(R, "sent too fast, rate limited", retry_after=THROTTLE_SECONDS),
        90030: VendorCode(R, "webhook over limit", retry_after=THROTTLE_SECONDS),
    },
)
THROTTLED_CODES = frozenset({90030, 130101, 410100})  # held and folded into a digest, never dropped
