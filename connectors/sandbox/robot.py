"""The custom-robot webhook the DingTalk and WeCom simulators share: the robot named in the query
(any id with the vendor's prefix is a robot), a sliding limit per robot, the message type checked
against the body, every accepted message kept. Each vendor gives its path, codes and messages."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.notify_state import NotifyState, admin_routes, notify_state
from connectors.sandbox.state import SandboxState

__all__ = ["Refusal", "robot_router"]

Refusal = tuple[int, str]  # errcode, errmsg


def _reply(code: int, message: str) -> JSONResponse:
    return JSONResponse({"errcode": code, "errmsg": message})


def robot_router(
    sandbox: SandboxState,
    vendor: str,
    path: str,
    robot: tuple[str, str],
    msgtypes: tuple[str, ...],
    *,
    unknown: Refusal,
    too_fast: Refusal,
    bad_json: Refusal,
    bad_msgtype: Refusal,
    signed: Callable[[NotifyState, Request, str], Refusal | None] | None = None,
) -> APIRouter:
    """``POST path``; ``robot`` is the query parameter naming the robot and the prefix every robot
    id has; ``signed`` checks the request's signature once the robot is known (None: unsigned)."""
    router = APIRouter(tags=[vendor])
    state = notify_state(sandbox)
    admin_routes(router, state, vendor)
    param, prefix = robot

    @router.post(path)
    async def send(request: Request) -> JSONResponse:
        state.count(vendor, "requests")
        state.delay(vendor)
        if state.take(vendor, "server_error"):
            return JSONResponse({"message": "Service Unavailable"}, status_code=503)
        who = request.query_params.get(param, "")
        if state.faults[vendor].invalid_key or not who.startswith(prefix):
            return _reply(*unknown)
        refused = signed(state, request, who) if signed is not None else None
        if refused is not None:
            return _reply(*refused)
        if state.take(vendor, "rate_limit_code") or state.over_limit(vendor, who):
            return _reply(*too_fast)
        try:
            body = await request.json()
        except ValueError:
            return _reply(*bad_json)
        if body.get("msgtype") not in msgtypes or body.get("msgtype") not in body:
            return _reply(*bad_msgtype)
        state.record(vendor, {"robot": who, **body})
        state.count(vendor, "messages")
        return _reply(0, "ok")

    return router
