"""DingTalk custom-robot simulator: ``POST /robot/send`` with the 加签 check (timestamp within an hour,
HmacSHA256 sign), 20 messages a minute per robot (410100 past it), markdown / actionCard / text."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.dingtalk.client import dingtalk_sign
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, admin_routes, dingtalk_secret, notify_state
from connectors.sandbox.state import SandboxState

__all__ = ["build_router"]

V = "dingtalk"
MSGTYPES = ("markdown", "actionCard", "text")


def _reply(code: int, message: str) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": message})


def build_router(sandbox: SandboxState) -> APIRouter:
    router = APIRouter(tags=["dingtalk"])
    state = notify_state(sandbox)
    admin_routes(router, state, V)
    prefix = NOTIFY_CREDENTIALS[V]["token_prefix"]

    @router.post("/robot/send")
    async def send(request: Request) -> JSONResponse:
        state.count(V, "requests")
        state.delay(V)
        if state.take(V, "server_error"):
            return JSONResponse({"message": "Service Unavailable"}, status_code=503)
        query = request.query_params
        token, stamp, sign = query.get("access_token", ""), query.get("timestamp", ""), query.get("sign", "")
        if state.faults[V].invalid_key or not token.startswith(prefix):
            return _reply(300001, "token is not exist")
        if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3_600_000:
            state.count(V, "bad_signature")
            return _reply(310000, "sign not match: timestamp out of range")
        if sign != dingtalk_sign(int(stamp), dingtalk_secret(token)):
            state.count(V, "bad_signature")
            return _reply(310000, "sign not match")
        if state.take(V, "rate_limit_code") or state.over_limit(V, token):
            return _reply(410100, "send too fast, exceed 20 times per minute")
        try:
            body = await request.json()
        except ValueError:
            return _reply(40035, "invalid json")
        if body.get("msgtype") not in MSGTYPES or body.get("msgtype") not in body:
            return _reply(40035, "invalid msgtype")
        state.record(V, {"robot": token, **body})
        state.count(V, "messages")
        return _reply(0, "ok")

    return router
