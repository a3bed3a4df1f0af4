"""Tencent Ads simulator: ``GET /v1.3/lead_clues/get`` and ``GET /oauth/token`` (refresh).

Every API call must carry ``access_token``, ``timestamp`` (within 300 s of the server clock) and a
``nonce`` never used before; a reused nonce is refused and counted (``stats.nonce_reused``).
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.incremental import CST
from connectors.sandbox.common import gate
from connectors.sandbox.state import SANDBOX_CREDENTIALS, SandboxState

__all__ = ["build_router"]

V = "tencent_ads"
TIMESTAMP_SKEW = 300


def _reply(code: int, message: str, data: dict[str, Any] | None = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "message_cn": message, "data": data or {}})


def build_router(state: SandboxState) -> APIRouter:
    router = APIRouter(tags=["tencent_ads"])
    creds = SANDBOX_CREDENTIALS[V]

    @router.get("/v1.3/lead_clues/get")
    def lead_clues_get(request: Request) -> JSONResponse:
        blocked = gate(state, V, lambda code: _reply(code, "Your request is much too frequent."), 11019)
        if blocked is not None:
            return blocked
        query = request.query_params
        token, stamp, nonce = query.get("access_token"), query.get("timestamp"), query.get("nonce")
        if not token or not stamp or not nonce:
            return _reply(12000 if token else 11005, "missing access_token, timestamp or nonce")
        if not stamp.isdigit() or abs(int(stamp) - time.time()) > TIMESTAMP_SKEW:
            return _reply(12000, "timestamp is out of range")
        with state.lock:
            if nonce in state.nonces or len(nonce) > 32:
                state.count(V, "nonce_reused")
                return _reply(12000, "nonce has been used or is too long")
            state.nonces.add(nonce)
        verdict = state.tokens[V].check(token, expired_now=state.faults[V].expire_access_token)
        if verdict != "ok":
            return _reply(11000 if verdict == "expired" else 11002, f"Access token is {verdict}.")
        account = query.get("account_id", "")
        if account not in state.accounts(V):
            return _reply(11014, "The API you requested is out of the scope of authority.")
        try:
            window = json.loads(query.get("time_range", ""))
            start = datetime.fromtimestamp(int(window["start_time"]), CST)
            end = datetime.fromtimestamp(int(window["end_time"]), CST)
            page, page_size = int(query.get("page", "1")), int(query.get("page_size", "10"))
        except (ValueError, KeyError, TypeError):
            return _reply(31001, "invalid parameter: time_range, page or page_size")
        if not 1 <= page_size <= 100 or page < 1:
            return _reply(31001, "invalid parameter: page_size must be 1..100")
        depth = state.faults[V].paging_depth
        if (page - 1) * page_size >= depth:
            return _reply(31001, f"invalid parameter: page is beyond the {depth}-record paging depth")
        rows = state.window(V, account, start, end)
        total_page = (len(rows) + page_size - 1) // page_size
        items = rows[(page - 1) * page_size : page * page_size]
        page_info = {
            "page": page,
            "page_size": page_size,
            "total_number": len(rows),
            "total_page": total_page,
        }
        return _reply(0, "", {"list": items, "page_info": page_info})

    @router.get("/oauth/token")
    def oauth_token(request: Request) -> JSONResponse:
        state.count(V, "refresh")
        query = request.query_params
        if (
            query.get("client_id") != creds["client_id"]
            or query.get("client_secret") != creds["client_secret"]
        ):
            return _reply(11007, "The client_id is invalid.")
        book = state.tokens[V]
        with state.lock:
            expired = state.faults[V].expire_refresh_token
            if (
                query.get("grant_type") != "refresh_token"
                or expired
                or query.get("refresh_token") != book.refresh_token
            ):
                return _reply(11012, "Refresh token is expired.")
            book.rotate(refresh_too=False)
            state.faults[V].expire_access_token = False
            data = {"access_token": book.access_token, "access_token_expires_in": 86_400,
                    "refresh_token_expires_in": 2_592_000}  # fmt: skip
        return _reply(0, "", data)

    return router
