"""Amap geocoding simulator: ``GET /v3/geocode/geo`` with key and signature checks, batches of up to
10, the documented reply shapes (empty fields as ``[]``), rate-limit and daily-quota infocodes.

The simulator's knowledge is the offline division table: an address it can place is answered at
district level; one it can only place in a city gets a district of that city picked by a hash of the
address (deterministic, so repeats agree), the way Amap always answers with its best guess.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, NotifyState, admin_routes, notify_state
from connectors.sandbox.state import SandboxState
from connectors.sandbox.vendor_signatures import amap_sig
from mapping.address import AddressHints, division_table, parse_address

__all__ = ["build_router"]

V = "amap"
LEVELS = {"province": "省", "city": "市", "district": "区县"}


def _fail(code: str, info: str) -> JSONResponse:
    return JSONResponse({"status": "0", "info": info, "infocode": code})


def _geocode(address: str, city: str | None) -> dict[str, Any]:
    table = division_table()
    hints = AddressHints(city=city) if city else None
    parsed = parse_address(address, hints)
    division = table.get(parsed.adcode) if parsed.adcode else None
    if division is not None and not table.is_final(division):
        children = sorted(d.adcode for d in table.by_code.values() if d.parent == division.adcode)
        if children:
            pick = int(hashlib.sha256(parsed.text.encode()).hexdigest(), 16) % len(children)
            division = table.get(children[pick])
    empty: dict[str, Any] = {k: [] for k in ("formatted_address", "province", "city", "district", "adcode")}
    if division is None:
        return {**empty, "country": [], "citycode": [], "township": [], "street": [], "number": [],
                "location": [], "level": "未知"}  # fmt: skip
    chain = {d.level: d.name for d in table.chain(division)}
    city_name: Any = chain.get("city") or (
        [] if division.adcode[:2] not in ("11", "12", "31", "50") else chain["province"]
    )
    return {
        "formatted_address": "".join(chain.values()) + parsed.rest,
        "country": "中国",
        "province": chain.get("province", []),
        "citycode": [],
        "city": city_name,
        "district": chain.get("district", []),
        "township": [],
        "street": [],
        "number": [],
        "adcode": division.adcode,
        "location": f"{100 + int(division.adcode[:3]) / 10:.6f},{20 + int(division.adcode[3:]) / 100:.6f}",
        "level": LEVELS[division.level],
    }


def _answer(state: NotifyState, request: Request) -> JSONResponse:
    creds = NOTIFY_CREDENTIALS[V]
    faults = state.faults[V]
    query = dict(request.query_params)
    if faults.invalid_key or query.get("key") != creds["key"]:
        return _fail("10001", "INVALID_USER_KEY")
    sig = query.pop("sig", None)
    if sig != amap_sig(query, creds["private_key"]):
        state.count(V, "bad_signature")
        return _fail("10007", "INVALID_USER_SIGNATURE")
    qps = faults.qps
    if state.take(V, "rate_limit_code") or (qps is not None and state.over_limit(V, "qps", 1.0, qps)):
        return _fail("10020", "CUQPS_HAS_EXCEEDED_THE_LIMIT")
    addresses = (
        [a for a in query.get("address", "").split("|")]
        if query.get("batch") == "true"
        else [query.get("address", "").split("|")[0]]
    )
    if not any(addresses) or len(addresses) > 10:
        return _fail("20000", "INVALID_PARAMS")
    with state.lock:
        used = state.stats[V]["addresses"]
        if faults.quota_exhausted or (
            faults.daily_quota is not None and used + len(addresses) > faults.daily_quota
        ):
            return _fail("10003", "DAILY_QUERY_OVER_LIMIT")
        state.stats[V]["addresses"] += len(addresses)
        state.stats[V]["batches"] += 1
    geocodes = [_geocode(a, query.get("city")) for a in addresses]
    found = sum(1 for g in geocodes if g["adcode"])
    return JSONResponse(
        {"status": "1", "info": "OK", "infocode": "10000", "count": str(found), "geocodes": geocodes}
    )


def build_router(sandbox: SandboxState) -> APIRouter:
    router = APIRouter(tags=["amap"])
    state = notify_state(sandbox)
    admin_routes(router, state, V)

    @router.get("/v3/geocode/geo")
    def geocode(request: Request) -> JSONResponse:
        state.count(V, "requests")
        state.delay(V)
        if state.take(V, "server_error"):
            return JSONResponse({"message": "Service Unavailable"}, status_code=503)
        return _answer(state, request)

    return router
