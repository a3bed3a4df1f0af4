"""DingTalk custom robot (钉钉自定义机器人): signed webhook, markdown and actionCard messages."""

from connectors.dingtalk.client import SEND_PATH, DingTalkClient, SendResult, dingtalk_sign
from connectors.dingtalk.payloads import action_card, markdown
from connectors.dingtalk.settings import DingTalkRobot, DingTalkSettings

__all__ = [
    "SEND_PATH",
    "DingTalkClient",
    "DingTalkRobot",
    "DingTalkSettings",
    "SendResult",
    "action_card",
    "dingtalk_sign",
    "markdown",
]
