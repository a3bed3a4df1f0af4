"""WeCom group-robot message bodies and the reply."""

from __future__ import annotations

from typing import Any

from connectors.robot_reply import RobotReply

__all__ = ["WeComReply", "markdown"]


def markdown(content: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": content}}


WeComReply = RobotReply  # the reply shape both robots share
