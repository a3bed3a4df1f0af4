"""WeCom group robot: ``POST /cgi-bin/webhook/send?key=KEY`` on the shared HTTP client and retry layer.
A throttled robot (45009) is reported, not retried: the caller folds the message into a digest."""

from __future__ import annotations

from typing import Any

import httpx

from connectors.errors import FatalError
from connectors.http import RequestMetrics, make_client, request_tags
from connectors.retry import call_with_retry
from connectors.robot_reply import SendResult, read_robot_reply
from connectors.wecom.errors import THROTTLED_CODES, WECOM_CODES
from connectors.wecom.settings import WeComSettings

__all__ = ["SEND_PATH", "SendResult", "WeComClient"]

SEND_PATH = "/cgi-bin/webhook/send"


class WeComClient:
    def __init__(
        self,
        settings: WeComSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.settings = settings or WeComSettings()
        self._http = make_client(self.settings, transport=transport, connector="wecom", metrics=metrics)

    def __enter__(self) -> WeComClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def close(self) -> None:
        self._http.close()

    def send(self, robot: str, message: dict[str, Any]) -> SendResult:
        if robot not in self.settings.robots:
            known = ", ".join(sorted(self.settings.robots)) or "none"
            raise FatalError(f"wecom: no robot named {robot!r} (known: {known})", connector="wecom")
        return call_with_retry(lambda: self._send(robot, message), self.settings, what=f"wecom robot {robot}")

    def _send(self, robot: str, message: dict[str, Any]) -> SendResult:
        params = {"key": self.settings.robots[robot].get_secret_value()}
        tags = request_tags("wecom", robot)
        response = self._http.post(SEND_PATH, params=params, json=message, extensions=tags)
        return read_robot_reply(response, WECOM_CODES, THROTTLED_CODES)
