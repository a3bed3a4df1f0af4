"""WeCom group robot: ``POST /cgi-bin/webhook/send?key=KEY`` on the shared HTTP client and retry layer.
A throttled robot (45009) is reported, not retried: the caller folds the message into a digest."""

from __future__ import annotations

from collections.abc import Collection

from connectors.robot_reply import RobotClient, SendResult
from connectors.wecom.errors import THROTTLED_CODES, WECOM_CODES
from connectors.wecom.settings import WeComSettings

__all__ = ["SEND_PATH", "SendResult", "WeComClient"]

SEND_PATH = "/cgi-bin/webhook/send"


class WeComClient(RobotClient[WeComSettings]):
    connector, settings_class = "wecom", WeComSettings
    send_path, codes, throttled_codes = SEND_PATH, WECOM_CODES, THROTTLED_CODES

    def robots(self) -> Collection[str]:
        return self.settings.robots.keys()

    def robot_query(self, robot: str) -> dict[str, str]:
        return {"key": self.settings.robots[robot].get_secret_value()}
