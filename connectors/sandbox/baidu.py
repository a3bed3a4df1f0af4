"""Baidu simulator: ``POST /json/sms/service/LeadsNoticeService/getNoticeList`` and
``POST /oauth/refreshToken``, in the shapes of the baiduads SDK (see connectors/baidu/README.md).

A success is ``header.status`` 0 with ``body.data[0] = {totalNum, rowNumber, noticeDetailList}``; a
refusal is ``header.status`` 3 with ``failures[{code, field, position, id, message}]``. Codes: 8002,
8101, 421 and 400 from Baidu's SEM code list; 89403/89406 from a public client's token-code list
(which of them means "expired" is not published); a userName outside the token is unsourced (403 here).
Only POST is routed, so another method gets HTTP 405.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from connectors.incremental import CST
from connectors.sandbox.common import gate
from connectors.sandbox.state import SANDBOX_CREDENTIALS, SandboxState

__all__ = ["MAX_WINDOW", "SOLUTION_TYPES", "build_router"]

V = "baidu"
MAX_WINDOW = timedelta(days=30)
SOLUTION_TYPES = ("phone", "consult", "form", "wechat", "callback", "follow")
TOKEN_INVALID, TOKEN_EXPIRED = 89403, 89406
REQUIRED = ("solutionType", "startDate", "endDate")


def _header(status: int, desc: str, failures: list[dict[str, Any]], rows: int) -> dict[str, Any]:
    return {"desc": desc, "failures": failures, "oprs": rows, "succ": rows, "oprtime": 0, "quota": 2,
            "rquota": 9_998, "status": status, "traceid": uuid.uuid4().hex}  # fmt: skip


def _ok(page: list[dict[str, Any]], total: int) -> JSONResponse:
    notice_list = {"totalNum": total, "rowNumber": len(page), "noticeDetailList": page}
    return JSONResponse({"header": _header(0, "success", [], 1), "body": {"data": [notice_list]}})


def _fail(code: int, message: str, field: str = "") -> JSONResponse:
    failure = {"code": code, "field": field, "position": "", "id": 0, "message": message}
    return JSONResponse({"header": _header(3, "failure", [failure], 0), "body": {"data": []}})


def _time(value: Any, *, end: bool) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (most public clients) or ``YYYY-MM-DD`` (one sends the date only)."""
    text = str(value or "").strip()
    for fmt, whole_day in (("%Y-%m-%d %H:%M:%S", False), ("%Y-%m-%d", True)):
        try:
            at = datetime.strptime(text, fmt).replace(tzinfo=CST)
        except ValueError:
            continue
        return at + timedelta(days=1, seconds=-1) if whole_day and end else at
    return None


def build_router(state: SandboxState) -> APIRouter:
    router = APIRouter(tags=["baidu"])
    creds = SANDBOX_CREDENTIALS[V]

    @router.post("/json/sms/service/LeadsNoticeService/getNoticeList")
    async def get_notice_list(request: Request) -> JSONResponse:
        try:
            envelope = await request.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            return _fail(8002, "The Json message you provided is invalid")
        return await run_in_threadpool(_notice_list, envelope)

    def _notice_list(envelope: dict[str, Any]) -> JSONResponse:
        blocked = gate(state, V, lambda code: _fail(code, "request rate exceeds limit"), 421)
        if blocked is not None:
            return blocked
        header, body = envelope.get("header") or {}, envelope.get("body")
        if not isinstance(header, dict) or not header.get("userName"):
            return _fail(8101, "Username is not set in request header", "userName")
        user = header["userName"]
        verdict = state.tokens[V].check(
            header.get("accessToken"), expired_now=state.faults[V].expire_access_token
        )
        if verdict != "ok":
            code = TOKEN_EXPIRED if verdict == "expired" else TOKEN_INVALID
            return _fail(code, f"accessToken {verdict}", "accessToken")
        if user not in state.accounts(V):
            return _fail(403, "userName is not under the authorising user", "userName")
        return _page(user, body if isinstance(body, dict) else {})

    def _page(user: str, body: dict[str, Any]) -> JSONResponse:
        missing = [name for name in REQUIRED if body.get(name) in (None, "")]
        if missing:
            return _fail(400, f"{', '.join(missing)} is required", missing[0])
        if body["solutionType"] not in SOLUTION_TYPES:
            return _fail(400, f"solutionType must be one of {', '.join(SOLUTION_TYPES)}", "solutionType")
        start, end = _time(body["startDate"], end=False), _time(body["endDate"], end=True)
        if start is None or end is None or end < start or end - start > MAX_WINDOW:
            return _fail(400, "startDate/endDate unreadable or more than 30 days apart", "startDate")
        page, size = body.get("pageNo", 1), body.get("pageSize", 10)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (page, size)):
            return _fail(400, "pageNo and pageSize must be integers", "pageNo")
        if page < 1 or not 1 <= size <= 1000:
            return _fail(400, "pageNo >= 1 and pageSize 1..1000", "pageNo")
        rows = [r for r in state.window(V, user, start, end) if r.get("solutionType") == body["solutionType"]]
        return _ok(rows[(page - 1) * size : page * size], len(rows))

    @router.post("/oauth/refreshToken")
    async def refresh_token(request: Request) -> JSONResponse:
        state.count(V, "refresh")
        try:
            body = await request.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        if body.get("appId") != creds["app_id"] or body.get("secretKey") != creds["secret_key"]:
            return JSONResponse({"code": 30002, "message": "invalid appId or secretKey", "data": None})
        # 110: a placeholder, Baidu publishes no refresh-refusal code (every non-zero code re-authorises)
        if str(body.get("userId")) != creds["user_id"]:
            return JSONResponse({"code": 110, "message": "userId did not authorise this app", "data": None})
        book = state.tokens[V]
        with state.lock:
            if state.faults[V].expire_refresh_token or body.get("refreshToken") != book.refresh_token:
                return JSONResponse({"code": 110, "message": "refresh token expired", "data": None})
            book.rotate(refresh_too=True)
            state.faults[V].expire_access_token = False
            now = datetime.now(CST)
            data = {"accessToken": book.access_token, "refreshToken": book.refresh_token,
                    "expiresTime": (now + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S"),
                    "refreshExpiresTime": (now + timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S"),
                    "expiresIn": 86_400, "refreshExpiresIn": 2_592_000, "scope": {},
                    "openId": f"sandbox-{creds['user_id']}", "userId": int(creds["user_id"])}  # fmt: skip
        return JSONResponse({"code": 0, "message": "success", "data": data})

    return router
