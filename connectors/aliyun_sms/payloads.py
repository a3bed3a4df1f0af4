"""dysmsapi reply."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["SendSmsReply"]


class SendSmsReply(BaseModel):
    model_config = ConfigDict(extra="allow")

    Code: str
    Message: str = ""
    BizId: str | None = None
    RequestId: str | None = None
