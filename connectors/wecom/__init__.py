"""WeCom group robot (企业微信群机器人): webhook key, markdown messages."""

from connectors.wecom.client import SEND_PATH, SendResult, WeComClient
from connectors.wecom.payloads import markdown
from connectors.wecom.settings import WeComSettings

__all__ = ["SEND_PATH", "SendResult", "WeComClient", "WeComSettings", "markdown"]
