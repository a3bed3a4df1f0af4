"""What the chat-robot webhooks (DingTalk, WeCom) share: the result of one send, and reading their
``{"errcode", "errmsg"}`` reply into it. A throttled robot is reported, not raised, so the caller
folds the message into a digest instead of retrying in a loop."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, ConfigDict

from connectors.errors import RetriableError, VendorCodes, error_for_status
from connectors.retry import parse_retry_after

__all__ = ["RobotReply", "SendResult", "read_robot_reply"]


@dataclass(frozen=True)
class SendResult:
    sent: bool
    throttled: bool = False
    code: int | str | None = None
    message: str = ""


class RobotReply(BaseModel):
    model_config = ConfigDict(extra="allow")

    errcode: int
    errmsg: str = ""


def read_robot_reply(
    response: httpx.Response, codes: VendorCodes, throttled_codes: Collection[int]
) -> SendResult:
    """HTTP errors and vendor codes into the connector error tree; success or throttling as a result."""
    connector = codes.connector
    hint = parse_retry_after(response.headers.get("Retry-After"))
    problem = error_for_status(response.status_code, connector=connector, retry_after=hint)
    if problem is not None:
        raise problem
    try:
        reply = RobotReply.model_validate(response.json())
    except ValueError as exc:
        raise RetriableError(f"{connector}: reply is not JSON", connector=connector) from exc
    if reply.errcode == 0:
        return SendResult(True, code=0)
    if reply.errcode in throttled_codes:
        return SendResult(False, throttled=True, code=reply.errcode, message=reply.errmsg)
    raise codes.error(reply.errcode, reply.errmsg)
