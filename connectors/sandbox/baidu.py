"""Baidu simulator: ``POST /json/sms/service/LeadsNoticeService/getNoticeList`` and
``POST /oauth/refreshToken``. Replies carry ``header.status`` 0 (ok) or 3 with ``failures``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from connectors.incremental import CST
from connectors.sandbox.common import gate
from connectors.sandbox.state import SANDBOX_CREDENTIALS, SandboxState

__all__ = ["MAX_WINDOW", "build_router"]

V = "baidu"
MAX_WINDOW = timedelta(days=30)


def _ok(data: list[dict[str, Any]]) -> JSONResponse:
    header = {"desc": "success", "status": 0, "failures": [], "oprs": len(data), "succ": len(data),
              "oprtime": 0, "quota": 2, "rquota": 9_999}  # fmt: skip
    return JSONResponse({"header": header, "body": {"data": data}})


def _fail(code: int, message: str) -> JSONResponse:
    failure = {"code": code, "message": message, "position": "", "content": ""}
    header = {"desc": "failure", "status": 3, "failures": [failure], "oprs": 0, "succ": 0, "oprtime": 0}
    return JSONResponse({"header": header, "body": {"data": []}})


def _time(value: Any) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
    except ValueError:
        return None


def build_router(state: SandboxState) -> APIRouter:
    router = APIRouter(tags=["baidu"])
    creds = SANDBOX_CREDENTIALS[V]

    @router.post("/json/sms/service/LeadsNoticeService/getNoticeList")
    async def get_notice_list(request: Request) -> JSONResponse:
        try:
            envelope = await request.json()
        except ValueError:
            return _fail(8002, "The Json message you provided is invalid")
        return await run_in_threadpool(_notice_list, envelope if isinstance(envelope, dict) else {})

    def _notice_list(envelope: dict[str, Any]) -> JSONResponse:
        blocked = gate(state, V, lambda code: _fail(code, "request rate exceeds limit"), 421)
        if blocked is not None:
            return blocked
        header, body = envelope.get("header") or {}, envelope.get("body") or {}
        user = header.get("userName")
        if not user:
            return _fail(8101, "Username is not set in request header")
        verdict = state.tokens[V].check(
            header.get("accessToken"), expired_now=state.faults[V].expire_access_token
        )
        if verdict != "ok":
            return _fail(8104 if verdict == "expired" else 8105, f"accessToken {verdict}")
        if user not in state.accounts(V):
            return _fail(8106, "userName is not authorised for this token")
        start, end = _time(body.get("startDate")), _time(body.get("endDate"))
        try:
            page, page_size = int(body.get("pageNo", 1)), int(body.get("pageSize", 10))
        except (TypeError, ValueError):
            return _fail(400, "pageNo and pageSize must be integers")
        if start is None or end is None or end < start or end - start > MAX_WINDOW:
            return _fail(400, "startDate/endDate missing or more than 30 days apart")
        if page < 1 or not 1 <= page_size <= 1000:
            return _fail(400, "pageNo >= 1 and pageSize 1..1000")
        rows = state.window(V, user, start, end)
        return _ok(rows[(page - 1) * page_size : page * page_size])

    @router.post("/oauth/refreshToken")
    async def refresh_token(request: Request) -> JSONResponse:
        state.count(V, "refresh")
        try:
            body = await request.json()
        except ValueError:
            body = {}
        if body.get("appId") != creds["app_id"] or body.get("secretKey") != creds["secret_key"]:
            return JSONResponse({"code": 101, "message": "invalid appId or secretKey", "data": None})
        book = state.tokens[V]
        with state.lock:
            if state.faults[V].expire_refresh_token or body.get("refreshToken") != book.refresh_token:
                return JSONResponse({"code": 110, "message": "refresh token expired", "data": None})
            book.rotate(refresh_too=True)
            state.faults[V].expire_access_token = False
            data = {"accessToken": book.access_token, "refreshToken": book.refresh_token, "expiresIn": 86_400,
                    "refreshExpiresIn": 2_592_000, "userId": creds["user_id"]}  # fmt: skip
        return JSONResponse({"code": 0, "message": "success", "data": data})

    return router
