"""DingTalk custom robot: ``POST /robot/send?access_token=&timestamp=&sign=`` (加签), on the shared HTTP
client and retry layer. A throttled robot (410100) is reported, not retried: the caller folds the
message into a digest. Network errors and 5xx are retried by the retry layer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

import httpx

from connectors.dingtalk.errors import DINGTALK_CODES, THROTTLED_CODES
from connectors.dingtalk.settings import DingTalkSettings
from connectors.errors import FatalError
from connectors.http import RequestMetrics, make_client, request_tags
from connectors.retry import call_with_retry
from connectors.robot_reply import SendResult, read_robot_reply

__all__ = ["SEND_PATH", "DingTalkClient", "SendResult", "dingtalk_sign"]

SEND_PATH = "/robot/send"


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """base64(HmacSHA256(secret, f"{timestamp}\\n{secret}")); URL-encoded once by the client."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkClient:
    def __init__(
        self,
        settings: DingTalkSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or DingTalkSettings()
        self._clock = clock
        self._http = make_client(self.settings, transport=transport, connector="dingtalk", metrics=metrics)

    def __enter__(self) -> DingTalkClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def close(self) -> None:
        self._http.close()

    def send(self, robot: str, message: dict[str, Any]) -> SendResult:
        creds = self.settings.robots.get(robot)
        if creds is None:
            known = ", ".join(sorted(self.settings.robots)) or "none"
            raise FatalError(f"dingtalk: no robot named {robot!r} (known: {known})", connector="dingtalk")
        return call_with_retry(
            lambda: self._send(robot, message), self.settings, what=f"dingtalk robot {robot}"
        )

    def _send(self, robot: str, message: dict[str, Any]) -> SendResult:
        creds = self.settings.robots[robot]
        secret = creds.secret.get_secret_value()
        timestamp = int(self._clock() * 1000)
        params = {
            "access_token": creds.access_token.get_secret_value(),
            "timestamp": str(timestamp),
            "sign": dingtalk_sign(timestamp, secret),
        }
        tags = request_tags("dingtalk", robot)
        response = self._http.post(SEND_PATH, params=params, json=message, extensions=tags)
        return read_robot_reply(response, DINGTALK_CODES, THROTTLED_CODES)
