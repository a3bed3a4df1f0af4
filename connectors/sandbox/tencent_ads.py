"""Tencent Ads simulator: v3.0 ``GET /v3.0/leads_list/get``, v1.3 ``POST /v1.3/lead_clues/get`` and
``GET /oauth/token`` (refresh), shaped like tests/fixtures/tencent_ads/sdk/ (the vendor's SDKs).

Every API call must carry ``access_token``, ``timestamp`` (within 300 s of the server clock) and a
``nonce`` never used before, in the query; a reused nonce is refused (12100) and counted
(``stats.nonce_reused``). v3.0 takes its parameters in the query, structured ones as JSON text, and
requires ``time_type`` inside ``time_range``; v1.3 takes a JSON body. Records come newest first;
page numbers reach ``paging_depth`` records (60022 beyond), then ``last_search_after_values``.
``data.leads_info`` is an array, or one object per page with the ``leads_info_object`` switch.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse

from connectors.incremental import CST
from connectors.sandbox.common import gate
from connectors.sandbox.state import SANDBOX_CREDENTIALS, SandboxState

__all__ = ["build_router"]

V = "tencent_ads"
TIMESTAMP_SKEW = 300
TIME_FIELDS = {"TIME_TYPE_CREATED_TIME": "leads_create_time", "TIME_TYPE_ACTION_TIME": "leads_action_time"}
LARGEST_PAGE = {"v3.0": 200, "v1.3": 100}


class Refusal(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _reply(code: int, message: str, data: dict[str, Any] | None = None) -> JSONResponse:
    if code:
        body = {"code": code, "message": message, "message_cn": message, "code_type": "BusinessException",
                "trace_id": f"sandbox-{time.monotonic_ns()}"}  # fmt: skip
        return JSONResponse(body)
    return JSONResponse({"code": 0, "message": "", "message_cn": "", "data": data or {}})


def _millis(record: dict[str, Any], field: str) -> int:
    stamp = datetime.strptime(record[field], "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)
    return int(stamp.timestamp() * 1000)


def _authorise(state: SandboxState, request: Request) -> None:
    query = request.query_params
    token, stamp, nonce = query.get("access_token"), query.get("timestamp"), query.get("nonce")
    if not token:
        raise Refusal(11005, "Access token is empty.")
    if not stamp or not nonce:
        raise Refusal(12000, "missing access_token, timestamp or nonce")
    if not stamp.isdigit() or abs(int(stamp) - time.time()) > TIMESTAMP_SKEW:
        raise Refusal(12101, "timestamp is expired")
    with state.lock:
        if nonce in state.nonces or len(nonce) > 32:
            state.count(V, "nonce_reused")
            raise Refusal(12100, "nonce has been used before")
        state.nonces.add(nonce)
    verdict = state.tokens[V].check(token, expired_now=state.faults[V].expire_access_token)
    if verdict != "ok":
        raise Refusal(11000 if verdict == "expired" else 11002, f"Access token is {verdict}.")


def _leads(state: SandboxState, version: str, params: dict[str, Any]) -> dict[str, Any]:
    """One page of leads for already-decoded parameters (``Refusal`` where the vendor refuses)."""
    account = str(params.get("account_id", ""))
    if account not in state.accounts(V):
        raise Refusal(11014, "The API you requested is out of the scope of authority.")
    window = params.get("time_range")
    if not isinstance(window, dict) or "start_time" not in window or "end_time" not in window:
        raise Refusal(60014, "date missing")
    time_type = window.get("time_type", None if version == "v3.0" else "TIME_TYPE_ACTION_TIME")
    if time_type not in TIME_FIELDS:
        raise Refusal(31001, "invalid parameter: time_range.time_type")
    start = datetime.fromtimestamp(int(window["start_time"]), CST)
    end = datetime.fromtimestamp(int(window["end_time"]), CST)
    if (end - start).days > 366:
        raise Refusal(60015, "date range cannot exceed one year")
    page, page_size = int(params.get("page", 1)), int(params.get("page_size", 10))
    if not 1 <= page_size <= LARGEST_PAGE[version]:
        raise Refusal(60012, "exceeding page size")
    if not 1 <= page <= 1000:
        raise Refusal(31001, "invalid parameter: page")
    field = TIME_FIELDS[time_type]
    rows = state.window(V, account, start, end, key=field)
    object_mode = version == "v3.0" and state.faults[V].leads_info_object
    size = 1 if object_mode else page_size
    after = params.get("last_search_after_values")
    if after is not None:
        if not isinstance(after, list) or len(after) != 2:
            raise Refusal(60020, "lastSearchAfterValue length is wrong")
        if not all(str(v).isdigit() for v in after):
            raise Refusal(60021, "lastSearchAfterValue values are not numeric")
        key = (int(after[0]), int(after[1]))
        items = [r for r in rows if (_millis(r, field), int(r["leads_id"])) < key][:size]
    else:
        if page * size > state.faults[V].paging_depth:
            raise Refusal(60022, "page-turning depth exceeds the maximum, use lastSearchAfterValue")
        items = rows[(page - 1) * size : page * size]
    info = {"page": page, "page_size": size, "total_number": len(rows), "total_page": -(-len(rows) // size)}
    leads: Any = (items[0] if items else {}) if object_mode else items
    return {"leads_info": leads, "page_info": info}


def _v3_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in ("account_id", "time_range", "page", "page_size", "last_search_after_values", "fields"):
        raw = request.query_params.get(name)
        if raw is None:
            continue
        try:
            params[name] = json.loads(raw)
        except ValueError:
            raise Refusal(31001, f"invalid parameter: {name} is not JSON text") from None
    return params


def build_router(state: SandboxState) -> APIRouter:
    router = APIRouter(tags=["tencent_ads"])
    creds = SANDBOX_CREDENTIALS[V]

    def serve(request: Request, version: str, params: Any) -> JSONResponse:
        blocked = gate(state, V, lambda code: _reply(code, "Your request is much too frequent."), 11019)
        if blocked is not None:
            return blocked
        try:
            _authorise(state, request)
            if not isinstance(params, dict):
                raise Refusal(31001, "invalid parameter: the body is not a JSON object")
            return _reply(0, "", _leads(state, version, params if version == "v1.3" else _v3_params(request)))
        except (Refusal, ValueError, TypeError) as exc:
            if isinstance(exc, Refusal):
                return _reply(exc.code, exc.message)
            return _reply(31001, f"invalid parameter: {exc}")

    @router.get("/v3.0/leads_list/get")
    def leads_list_get(request: Request) -> JSONResponse:
        return serve(request, "v3.0", {})

    @router.post("/v1.3/lead_clues/get")
    def lead_clues_get(request: Request, body: Any = Body(None)) -> JSONResponse:  # noqa: B008
        return serve(request, "v1.3", body)

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
