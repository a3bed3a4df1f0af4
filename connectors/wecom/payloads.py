"""WeCom group-robot message bodies and the reply."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["WeComReply", "markdown"]


def markdown(content: str) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": content}}


class WeComReply(BaseModel):
    model_config = ConfigDict(extra="allow")

    errcode: int
    errmsg: str = ""
