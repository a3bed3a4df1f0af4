"""Robot and SMS settings that point the DingTalk, WeCom and Alibaba Cloud SMS connectors at a running
sandbox, signed with the simulators' own credentials (demo, tests, benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connectors.aliyun_sms import AliyunSmsSettings
from connectors.dingtalk import DingTalkSettings
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, dingtalk_secret
from connectors.wecom import WeComSettings

__all__ = ["sandbox_notify_settings"]


def sandbox_notify_settings(
    base_url: str, robots: Iterable[str], **overrides: Any
) -> tuple[DingTalkSettings, WeComSettings, AliyunSmsSettings]:
    """Robot and SMS settings pointed at a running sandbox, with a robot for each name."""
    names = sorted(set(robots))
    tokens = {n: f"{NOTIFY_CREDENTIALS['dingtalk']['token_prefix']}{n}" for n in names}
    robots_ding = {n: {"access_token": t, "secret": dingtalk_secret(t)} for n, t in tokens.items()}
    ding = DingTalkSettings(base_url=base_url, robots=robots_ding, **overrides)
    key_prefix = NOTIFY_CREDENTIALS["wecom"]["key_prefix"]
    wecom = WeComSettings(base_url=base_url, robots={n: f"{key_prefix}{n}" for n in names}, **overrides)
    creds = NOTIFY_CREDENTIALS["aliyun_sms"]
    templates = dict(zip(("high_budget", "escalation", "digest"), creds["templates"], strict=True))
    sms = AliyunSmsSettings(
        base_url=base_url,
        access_key_id=creds["access_key_id"],
        sign_name=creds["sign_name"],
        access_key_secret=creds["access_key_secret"],
        templates={**templates, "default": creds["templates"][0]},
        **overrides,
    )
    return ding, wecom, sms
