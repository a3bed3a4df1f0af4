"""DingTalk custom-robot simulator: ``POST /robot/send`` with the 加签 check (timestamp within an hour,
HmacSHA256 sign), 20 messages a minute per robot (130101 past it), markdown / actionCard / text."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request

from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, NotifyState, dingtalk_secret
from connectors.sandbox.robot import Refusal, robot_router
from connectors.sandbox.state import SandboxState
from connectors.sandbox.vendor_signatures import dingtalk_robot

__all__ = ["build_router"]

V = "dingtalk"


def _signed(state: NotifyState, request: Request, token: str) -> Refusal | None:
    stamp, sign = request.query_params.get("timestamp", ""), request.query_params.get("sign", "")
    if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3_600_000:
        state.count(V, "bad_signature")
        return 310000, "invalid timestamp"
    if sign != dingtalk_robot(stamp, dingtalk_secret(token)):
        state.count(V, "bad_signature")
        return 310000, "sign not match"
    return None


def build_router(sandbox: SandboxState) -> APIRouter:
    return robot_router(
        sandbox,
        V,
        "/robot/send",
        ("access_token", NOTIFY_CREDENTIALS[V]["token_prefix"]),
        ("markdown", "actionCard", "text"),
        unknown=(300001, "token is not exist"),
        too_fast=(130101, "send too fast, exceed 20 times per minute"),
        bad_json=(40035, "invalid json"),
        bad_msgtype=(40035, "invalid msgtype"),
        signed=_signed,
    )
