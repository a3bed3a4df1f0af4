"""DingTalk robot message bodies (markdown, actionCard, text) and the reply."""

from __future__ import annotations

from typing import Any

from connectors.robot_reply import RobotReply

__all__ = ["DingTalkReply", "action_card", "markdown"]


def markdown(title: str, text: str) -> dict[str, Any]:
    """No ``atMobiles``: a mention needs the full number in the message, and numbers stay masked."""
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}, "at": {"isAtAll": False}}


def action_card(title: str, text: str, button: str, url: str) -> dict[str, Any]:
    card = {"title": title, "text": text, "singleTitle": button, "singleURL": url}
    return {"msgtype": "actionCard", "actionCard": card}


DingTalkReply = RobotReply  # the reply shape both robots share
