"""Amap geocoding simulator: ``GET /v3/geocode/geo`` with key and signature checks, batches of up to
10, the documented reply shapes (empty fields as ``[]``), rate-limit and daily-quota infocodes.

The simulator's knowledge is its own gazetteer (:mod:`connectors.sandbox.amap_places`, a hand-written
file of public division codes), never the hub's address parser: an address naming a district is
answered at district level, one naming only a city at city level (adcode of the city, ``level`` 市),
as Amap answers with the most precise division it recognises. An ambiguous address (朝阳区 without a
city) gets one ``geocodes`` entry per place when ``batch=false``; a batch keeps one entry per address,
in order, so the first place stands for it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from connectors.sandbox.amap_places import Match, gazetteer
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, NotifyState, admin_routes, notify_state
from connectors.sandbox.state import SandboxState
from connectors.sandbox.vendor_signatures import amap_sig

__all__ = ["build_router"]

V = "amap"
FIELDS = ("formatted_address", "country", "province", "citycode", "city", "district", "township",
          "street", "number", "adcode", "location")  # fmt: skip


def _fail(code: str, info: str) -> JSONResponse:
    return JSONResponse({"status": "0", "info": info, "infocode": code})


def _item(match: Match | None) -> dict[str, Any]:
    if match is None:
        return {**{k: [] for k in FIELDS}, "level": "未知"}
    places = gazetteer()
    by_level = {p.level: p for p in places.chain(match.place)}
    province = by_level["province"]
    city = by_level.get("city")
    district = by_level.get("district")
    shown = [province.name] + ([city.name] if city else []) + ([district.name] if district else [])
    municipality = city is None and bool(province.citycode)  # 北京/上海/天津/重庆: city = province
    return {
        "formatted_address": "".join(shown) + match.rest,
        "country": "中国",
        "province": province.name,
        "citycode": (city or province).citycode or [],
        "city": city.name if city else (province.name if municipality else []),
        "district": district.name if district else [],
        "township": [],
        "street": [],
        "number": [],
        "adcode": match.place.adcode,
        "location": match.place.location,
        "level": match.place.amap_level,
    }


def _geocodes(addresses: list[str], city: str | None, batch: bool) -> list[dict[str, Any]]:
    places = gazetteer()
    if not batch:
        matches = places.geocode(addresses[0], city)
        return [_item(m) for m in matches]  # nothing known: count 0, no geocodes
    return [_item(next(iter(places.geocode(a, city)), None)) for a in addresses]


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
    batch = query.get("batch") == "true"
    addresses = query.get("address", "").split("|")
    addresses = addresses if batch else addresses[:1]
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
    geocodes = _geocodes(addresses, query.get("city"), batch)
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
