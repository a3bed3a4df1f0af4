"""Ocean Engine simulator: ``GET /open_api/2/tools/clue/get/``, ``POST /open_api/oauth2/refresh_token/``."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.incremental import CST
from connectors.sandbox.common import gate, request_id
from connectors.sandbox.state import SANDBOX_CREDENTIALS, SandboxState

__all__ = ["build_router"]

V = "ocean_engine"


def _reply(code: int, message: str, data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "request_id": request_id(), "data": data or {}})


def _time(text: str, *, end: bool) -> datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, fmt).replace(tzinfo=CST)
        except ValueError:
            continue
        return moment + timedelta(days=1, seconds=-1) if end and fmt == "%Y-%m-%d" else moment
    return None


def build_router(state: SandboxState) -> APIRouter:
    router = APIRouter(tags=["ocean_engine"])
    creds = SANDBOX_CREDENTIALS[V]

    @router.get("/open_api/2/tools/clue/get/")
    def clue_get(request: Request) -> JSONResponse:
        blocked = gate(state, V, lambda code: _reply(code, "Too many requests"), 40100)
        if blocked is not None:
            return blocked
        verdict = state.tokens[V].check(
            request.headers.get("Access-Token"), expired_now=state.faults[V].expire_access_token
        )
        if verdict != "ok":
            codes = {"missing": 40104, "expired": 40102, "invalid": 40105}
            return _reply(codes[verdict], f"access token {verdict}")
        query = request.query_params
        try:
            advertisers = [str(a) for a in json.loads(query.get("advertiser_ids", "[]"))]
            page, page_size = int(query.get("page", "1")), int(query.get("page_size", "10"))
        except (ValueError, TypeError):
            return _reply(40000, "invalid parameters: advertiser_ids, page, page_size")
        start = _time(query.get("start_time", ""), end=False)
        end = _time(query.get("end_time", ""), end=True)
        if not advertisers or start is None or end is None or not 1 <= page_size <= 100 or page < 1:
            return _reply(40000, "invalid parameters")
        denied = [a for a in advertisers if a not in state.accounts(V)]
        if denied:
            return _reply(40002, f"no permission for advertiser {denied[0]}")
        rows = [r for a in advertisers for r in state.window(V, a, start, end)]
        rows.sort(key=lambda r: (r["create_time_detail"], r["clue_id"]), reverse=True)
        total_page = (len(rows) + page_size - 1) // page_size
        items = rows[(page - 1) * page_size : page * page_size]
        page_info = {
            "page": page,
            "page_size": page_size,
            "total_number": len(rows),
            "total_page": total_page,
        }
        return _reply(0, "OK", {"list": items, "page_info": page_info})

    @router.post("/open_api/oauth2/refresh_token/")
    async def refresh_token(request: Request) -> JSONResponse:
        state.count(V, "refresh")
        try:
            body = await request.json()
        except ValueError:
            return _reply(40000, "body must be JSON")
        if str(body.get("app_id")) != creds["app_id"] or body.get("secret") != creds["app_secret"]:
            return _reply(40000, "invalid app_id or secret")
        book = state.tokens[V]
        with state.lock:
            if state.faults[V].expire_refresh_token or body.get("refresh_token") != book.refresh_token:
                return _reply(40103, "refresh token expired")
            book.rotate(refresh_too=True)
            state.faults[V].expire_access_token = False
            data = {
                "access_token": book.access_token,
                "expires_in": 86_400,
                "refresh_token": book.refresh_token,
                "refresh_token_expires_in": 2_592_000,
            }
        return _reply(0, "OK", data)

    return router
