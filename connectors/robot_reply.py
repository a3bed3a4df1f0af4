"""What the chat-robot webhooks (DingTalk, WeCom) share: the client that posts one message to a named
robot, the result of that send, and reading their ``{"errcode", "errmsg"}`` reply into it. A throttled
robot is reported, not raised, so the caller folds the message into a digest instead of retrying in
a loop. Network errors and 5xx are retried by the retry layer."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict

from connectors.errors import FatalError, RetriableError, VendorCodes, error_for_status
from connectors.http import VendorClient, request_tags
from connectors.retry import call_with_retry, parse_retry_after
from connectors.settings import ConnectorSettings

__all__ = ["RobotClient", "RobotReply", "SendResult", "read_robot_reply"]

R = TypeVar("R", bound=ConnectorSettings)


@dataclass(frozen=True)
class SendResult:
    sent: bool
    throttled: bool = False
    code: int | str | None = None
    message: str = ""
    retry_after: float | None = None  # throttled: how long the vendor blocks this robot, when it says


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
        entry = codes.codes.get(reply.errcode)
        wait = hint or (entry.retry_after if entry else None)
        return SendResult(False, throttled=True, code=reply.errcode, message=reply.errmsg, retry_after=wait)
    raise codes.error(reply.errcode, reply.errmsg)


class RobotClient(VendorClient[R]):
    """``send(robot, message)``: one POST to ``send_path`` through the shared retry layer. A subclass
    names its robots and the query that names (and signs) one of them."""

    send_path: ClassVar[str]
    codes: ClassVar[VendorCodes]
    throttled_codes: ClassVar[Collection[int]]

    def robots(self) -> Collection[str]:
        """The names of the configured robots."""
        raise NotImplementedError

    def robot_query(self, robot: str) -> dict[str, str]:
        """The query of one attempt to send to ``robot`` (made again for every attempt)."""
        raise NotImplementedError

    def send(self, robot: str, message: dict[str, Any]) -> SendResult:
        if robot not in self.robots():
            known = ", ".join(sorted(self.robots())) or "none"
            raise FatalError(
                f"{self.connector}: no robot named {robot!r} (known: {known})", connector=self.connector
            )
        return call_with_retry(
            lambda: self._send(robot, message), self.settings, what=f"{self.connector} robot {robot}"
        )

    def _send(self, robot: str, message: dict[str, Any]) -> SendResult:
        params = self.robot_query(robot)
        tags = request_tags(self.connector, robot)
        response = self.http.post(self.send_path, params=params, json=message, extensions=tags)
        return read_robot_reply(response, self.codes, self.throttled_codes)
