"""Token auth with refresh, at the transport: refresh once, replay once, save before use."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from connectors.auth import HeaderTokenAuth, JsonHeaderTokenAuth, QueryTokenAuth
from connectors.base import MemoryTokenStore, TokenPair
from connectors.errors import AuthExpiredError, FatalError, ReauthorizeError
from connectors.ocean_engine import OceanEngineConnector, OceanEngineSettings
from connectors.ocean_engine.connector import OceanEngineRefresher

from .support import END

BASE = "https://ad.example"


def oe_settings(**overrides: Any) -> OceanEngineSettings:
    values: dict[str, Any] = {"base_url": BASE, "app_id": "1", "app_secret": "app-secret-xyz", "advertiser_ids": ["7"],
                              "access_token": "old-access", "refresh_token": "old-refresh",
                              "retry_initial_wait": 0.0, "start_date": "2026-11-01T00:00:00+08:00"}  # fmt: skip
    return OceanEngineSettings(**{**values, **overrides})


class RecordingStore(MemoryTokenStore):
    def __init__(self, events: list[str]) -> None:
        super().__init__()
        self.events = events

    def save(self, connector: str, account: str, pair: TokenPair) -> None:
        self.events.append(f"save {pair.access_token}/{pair.refresh_token}")
        super().save(connector, account, pair)


def vendor(events: list[str], *, refresh_code: int = 0, always_expired: bool = False) -> respx.Router:
    """An Ocean Engine double: the API accepts only ``new-access`` (unless ``always_expired``)."""
    router = respx.Router(base_url=BASE, assert_all_called=False)

    def api(request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Access-Token")
        events.append(f"api {token}")
        if token != "new-access" or always_expired:
            return httpx.Response(200, json={"code": 40102, "message": "access token expired"})
        page = {"page": 1, "page_size": 100, "total_number": 1, "total_page": 1}
        item = {"clue_id": "1", "create_time_detail": "2026-11-20 10:21:33", "advertiser_id": 7}
        return httpx.Response(200, json={"code": 0, "data": {"list": [item], "page_info": page}})

    def refresh(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        events.append(f"refresh {body['refresh_token']}")
        if refresh_code:
            return httpx.Response(200, json={"code": refresh_code, "message": "refresh token expired"})
        data = {"access_token": "new-access", "refresh_token": "new-refresh", "expires_in": 86400}
        return httpx.Response(200, json={"code": 0, "data": data})

    router.get("/open_api/2/tools/clue/get/").mock(side_effect=api)
    router.post("/open_api/oauth2/refresh_token/").mock(side_effect=refresh)
    return router


def connector(events: list[str], **vendor_options: Any) -> OceanEngineConnector:
    transport = httpx.MockTransport(vendor(events, **vendor_options).handler)
    return OceanEngineConnector(
        settings=oe_settings(), token_store=RecordingStore(events), transport=transport
    )


def test_expired_token_is_refreshed_saved_and_the_request_replayed_once() -> None:
    events: list[str] = []
    pages = list(connector(events).read("leads", "7", _state(), END))
    assert [r.external_id for p in pages for r in p.records] == ["1"]
    assert events == [
        "api old-access",
        "refresh old-refresh",
        "save new-access/new-refresh",  # the rotated pair is stored before it is used
        "api new-access",
    ]


def test_still_expired_after_one_refresh_surfaces_without_a_second_refresh() -> None:
    events: list[str] = []
    with pytest.raises(AuthExpiredError):
        list(connector(events, always_expired=True).read("leads", "7", _state(), END))
    assert [e.split()[0] for e in events] == ["api", "refresh", "save", "api"]


def test_refresh_token_expired_is_fatal_and_nothing_is_replayed() -> None:
    events: list[str] = []
    with pytest.raises(ReauthorizeError, match=r"40103 \(refresh token expired\).*re-authorise"):
        list(connector(events, refresh_code=40103).read("leads", "7", _state(), END))
    assert events == ["api old-access", "refresh old-refresh"]


def test_no_token_at_all_is_a_clear_fatal_error() -> None:
    settings = oe_settings(access_token=None, refresh_token=None)
    c = OceanEngineConnector(settings=settings, transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    with pytest.raises(FatalError, match="no access token"):
        list(c.read("leads", "7", _state(), END))


def test_a_token_past_its_expiry_is_refreshed_before_the_request() -> None:
    events: list[str] = []
    c = connector(events)
    stale = TokenPair("old-access", "old-refresh", expires_at=datetime.now(UTC) - timedelta(minutes=1))
    c.token_store.save("ocean_engine", "default", stale)
    events.clear()
    list(c.read("leads", "7", _state(), END))
    assert events == ["refresh old-refresh", "save new-access/new-refresh", "api new-access"]


def test_concurrent_expiries_refresh_only_once() -> None:
    store = MemoryTokenStore()
    refreshes: list[str] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("refresh_token/"):
            with lock:
                refreshes.append("x")
            time.sleep(0.05)
            data = {"access_token": f"new-{len(refreshes)}", "refresh_token": f"r-{len(refreshes)}"}
            return httpx.Response(200, json={"code": 0, "data": data})
        ok = request.headers["Access-Token"].startswith("new-")
        return httpx.Response(200, json={"code": 0 if ok else 40102})

    auth = HeaderTokenAuth(connector="ocean_engine", owner="default", store=store,
                           refresher=OceanEngineRefresher(oe_settings()), initial=TokenPair("old", "old-r"),
                           is_expired=lambda r: r.json()["code"] == 40102)  # fmt: skip
    results: list[int] = []

    def call() -> None:
        with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
            results.append(client.get(f"{BASE}/x").json()["code"])

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0, 0, 0, 0]
    assert len(refreshes) == 1 and auth.refreshes == 1


def test_query_auth_signs_every_request_with_a_fresh_nonce_and_timestamp() -> None:
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"code": 0, "data": {"access_token": "t2"}})
        return httpx.Response(200, json={"code": 11000 if request.url.params["access_token"] == "t1" else 0})

    class Refresher:
        def request(self, pair: TokenPair) -> httpx.Request:
            return httpx.Request("GET", "https://api.example/oauth/token")

        def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair:
            return TokenPair(response.json()["data"]["access_token"], previous.refresh_token)

    auth = QueryTokenAuth(connector="tencent_ads", owner="default", store=MemoryTokenStore(), refresher=Refresher(),
                          initial=TokenPair("t1", "r1"), is_expired=lambda r: r.json()["code"] == 11000)  # fmt: skip
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        for _ in range(3):
            client.get("https://api.example/v1.3/lead_clues/get", params={"account_id": 1, "page": 2})
    api = [u for u in seen if u.path != "/oauth/token"]
    assert [u.params["access_token"] for u in api] == ["t1", "t2", "t2", "t2"]
    nonces = [u.params["nonce"] for u in api]
    assert len(set(nonces)) == 4 and all(len(n) <= 32 for n in nonces)
    assert all(abs(int(u.params["timestamp"]) - time.time()) < 60 for u in api)
    assert all(u.params["account_id"] == "1" and u.params["page"] == "2" for u in api)
    assert [list(u.params).count("access_token") for u in api] == [1, 1, 1, 1]


def test_json_header_auth_puts_the_token_in_the_body_header() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert int(request.headers["Content-Length"]) == len(request.content)
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"header": {"status": 0}})

    auth = JsonHeaderTokenAuth(connector="baidu", owner="default", store=MemoryTokenStore(),
                               refresher=OceanEngineRefresher(oe_settings()), initial=TokenPair("长-token", "r"))  # fmt: skip
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        client.post("https://api.example/json", json={"header": {"userName": "张三"}, "body": {"pageNo": 1}})
    assert bodies == [{"header": {"userName": "张三", "accessToken": "长-token"}, "body": {"pageNo": 1}}]


def _state() -> Any:
    from connectors.base import CursorState

    return CursorState()
