"""DingTalk custom robot: ``POST /robot/send?access_token=&timestamp=&sign=`` (加签), on the shared HTTP
client and retry layer. A throttled robot (130101, 410100, 90030: ``THROTTLED_CODES``) is reported,
not retried in a loop and not dropped: the caller holds the message and folds it into a later digest.
Network errors and 5xx are retried by the retry layer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Collection
from typing import Unpack

from connectors.dingtalk.errors import DINGTALK_CODES, THROTTLED_CODES
from connectors.dingtalk.settings import DingTalkSettings
from connectors.http import ClientOptions
from connectors.robot_reply import RobotClient, SendResult

__all__ = ["SEND_PATH", "DingTalkClient", "SendResult", "dingtalk_sign"]

SEND_PATH = "/robot/send"


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """base64(HmacSHA256(secret, f"{timestamp}\\n{secret}")); URL-encoded once by the client."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkClient(RobotClient[DingTalkSettings]):
    """Every attempt is signed anew: ``clock`` gives the timestamp that goes into the sign."""

    connector, settings_class = "dingtalk", DingTalkSettings
    send_path, codes, throttled_codes = SEND_PATH, DINGTALK_CODES, THROTTLED_CODES

    def __init__(
        self,
        settings: DingTalkSettings | None = None,
        *,
        clock: Callable[[], float] = time.time,
        **options: Unpack[ClientOptions],
    ) -> None:
        self._clock = clock
        super().__init__(settings, **options)

    def robots(self) -> Collection[str]:
        return self.settings.robots.keys()

    def robot_query(self, robot: str) -> dict[str, str]:
        creds = self.settings.robots[robot]
        timestamp = int(self._clock() * 1000)
        return {
            "access_token": creds.access_token.get_secret_value(),
            "timestamp": str(timestamp),
            "sign": dingtalk_sign(timestamp, creds.secret.get_secret_value()),
        }
