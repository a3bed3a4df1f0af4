"""The client factory: timeouts, limits, user agent, metrics per stream, swappable transport."""

from __future__ import annotations

import logging

import httpx
import pytest

from connectors.http import USER_AGENT, RequestMetrics, make_client, request_tags
from connectors.settings import ConnectorSettings


def test_client_has_explicit_timeouts_user_agent_and_base_url() -> None:
    settings = ConnectorSettings(base_url="https://api.example/", timeout_connect=1.5, timeout_read=7.0)
    with make_client(settings) as client:
        assert client.timeout == httpx.Timeout(connect=1.5, read=7.0, write=30.0, pool=10.0)
        assert client.headers["User-Agent"] == USER_AGENT == "SyncHub/0.1"
        assert client.base_url.host == "api.example"
        assert client.follow_redirects is False


def test_connection_limits_reach_the_default_transport() -> None:
    settings = ConnectorSettings(max_connections=3, max_keepalive_connections=1)
    with make_client(settings) as client:
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert pool._max_connections == 3 and pool._max_keepalive_connections == 1


def test_requests_are_counted_per_connector_and_stream_through_a_swapped_transport() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200 if request.url.path == "/ok" else 503)

    metrics = RequestMetrics()
    settings = ConnectorSettings(base_url="https://api.example")
    with make_client(
        settings, transport=httpx.MockTransport(handler), connector="vendor", metrics=metrics
    ) as client:
        client.get("/ok", extensions=request_tags("vendor", "leads"))
        client.get("/ok", extensions=request_tags("vendor", "leads"))
        client.get("/fail", extensions=request_tags("vendor", "orders"))
        client.get("/ok")
    assert seen == [USER_AGENT] * 4
    assert metrics.requests == {("vendor", "leads"): 2, ("vendor", "orders"): 1, ("vendor", "-"): 1}
    assert metrics.responses[("vendor", "orders", 503)] == 1
    assert metrics.total("vendor") == 4 and metrics.total(stream="leads") == 2
    metrics.reset()
    assert metrics.total() == 0


def test_debug_log_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="synchub")
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    with make_client(ConnectorSettings(base_url="https://api.example"), transport=transport) as client:
        client.get(
            "/x", params={"access_token": "tok-abc-123", "page": 1}, headers={"Access-Token": "hdr-xyz-789"}
        )
    assert "tok-abc-123" not in caplog.text and "hdr-xyz-789" not in caplog.text
    assert "access_token=***" in caplog.text and "'access-token': '***'" in caplog.text
    assert "-> 200" in caplog.text
