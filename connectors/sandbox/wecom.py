"""WeCom group-robot simulator: ``POST /cgi-bin/webhook/send?key=`` with 20 messages a minute per robot
(45009 past it) and 93000 for an unknown key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, admin_routes, notify_state
from connectors.sandbox.state import SandboxState

__all__ = ["build_router"]

V = "wecom"


def _reply(code: int, message: str) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": message})


def build_router(sandbox: SandboxState) -> APIRouter:
    router = APIRouter(tags=["wecom"])
    state = notify_state(sandbox)
    admin_routes(router, state, V)
    prefix = NOTIFY_CREDENTIALS[V]["key_prefix"]

    @router.post("/cgi-bin/webhook/send")
    async def send(request: Request) -> JSONResponse:
        state.count(V, "requests")
        state.delay(V)
        if state.take(V, "server_error"):
            return JSONResponse({"message": "Service Unavailable"}, status_code=503)
        key = request.query_params.get("key", "")
        if state.faults[V].invalid_key or not key.startswith(prefix):
            return _reply(93000, "invalid webhook url")
        if state.take(V, "rate_limit_code") or state.over_limit(V, key):
            return _reply(45009, "api freq out of limit")
        try:
            body = await request.json()
        except ValueError:
            return _reply(40008, "invalid message type")
        kind = body.get("msgtype")
        if kind not in ("markdown", "text") or kind not in body:
            return _reply(40008, "invalid message type")
        state.record(V, {"robot": key, **body})
        state.count(V, "messages")
        return _reply(0, "ok")

    return router
