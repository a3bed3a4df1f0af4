"""The senders behind the notification service: small adapters over the DingTalk, WeCom and SMS
clients that report ``sent``, ``throttled`` (fold and try later) or ``rejected`` (never deliverable).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from connectors.aliyun_sms import AliyunSmsClient, AliyunSmsSettings
from connectors.dingtalk import DingTalkClient, DingTalkSettings
from connectors.dingtalk import markdown as dingtalk_markdown
from connectors.wecom import WeComClient, WeComSettings
from connectors.wecom import markdown as wecom_markdown

__all__ = ["RobotSender", "Senders", "SmsSender", "default_senders"]


class RobotSender(Protocol):
    per_minute: int
    last_wait: float | None  # after a throttled send: how long the vendor blocks the robot, if known

    def send(self, robot: str, title: str, text: str) -> str: ...


class SmsSender(Protocol):
    limits: tuple[int, int, int]  # per minute, hour, day for one number

    def send(self, phone: str, event: str, params: dict[str, str]) -> str: ...


@dataclass
class _DingTalk:
    client: DingTalkClient
    per_minute: int
    last_wait: float | None = None

    def send(self, robot: str, title: str, text: str) -> str:
        result = self.client.send(robot, dingtalk_markdown(title, text))
        self.last_wait = result.retry_after
        return "sent" if result.sent else "throttled"


@dataclass
class _WeCom:
    client: WeComClient
    per_minute: int
    last_wait: float | None = None

    def send(self, robot: str, title: str, text: str) -> str:
        result = self.client.send(robot, wecom_markdown(f"**{title}**\n{text}"))
        self.last_wait = result.retry_after
        return "sent" if result.sent else "throttled"


@dataclass
class _Sms:
    client: AliyunSmsClient
    templates: dict[str, str]
    limits: tuple[int, int, int]

    def send(self, phone: str, event: str, params: dict[str, str]) -> str:
        code = self.templates.get(event) or self.templates.get("default")
        if code is None:
            return "rejected"
        result = self.client.send(phone, code, params)
        return "sent" if result.sent else ("throttled" if result.limited else "rejected")


@dataclass
class Senders:
    robots: dict[str, RobotSender] = field(default_factory=dict)  # "dingtalk" / "wecom"
    sms: SmsSender | None = None
    _closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for client in self._closers:
            client.close()


def default_senders(
    dingtalk: DingTalkSettings | None = None,
    wecom: WeComSettings | None = None,
    sms: AliyunSmsSettings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Senders:
    """Senders for every channel that is configured (robots listed, SMS keys set)."""
    out = Senders()
    dingtalk = dingtalk or DingTalkSettings()
    if dingtalk.robots:
        client = DingTalkClient(dingtalk, transport=transport)
        out.robots["dingtalk"] = _DingTalk(client, dingtalk.per_minute)
        out._closers.append(client)
    wecom = wecom or WeComSettings()
    if wecom.robots:
        wclient = WeComClient(wecom, transport=transport)
        out.robots["wecom"] = _WeCom(wclient, wecom.per_minute)
        out._closers.append(wclient)
    sms = sms or AliyunSmsSettings()
    if sms.access_key_id and sms.access_key_secret is not None:
        sclient = AliyunSmsClient(sms, transport=transport)
        out.sms = _Sms(sclient, sms.templates, (sms.per_minute, sms.per_hour, sms.per_day))
        out._closers.append(sclient)
    return out
