"""serve-api's callers (issue 18, finding 1 and the smaller items of finding 9): routing needs an API
client token with a role, the ledger names that client, /metrics and the schema are closed by
default, cross-origin browser posts get nowhere, bodies stop at their limit while streaming, and
uvicorn's access log masks phone numbers."""

from __future__ import annotations

import asyncio
import logging
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from audit.models import AuditLog
from connectors.webform import WebFormSettings
from core.models import Lead
from core.serving import mask_target, serve_in_thread
from hub.api.app import create_app
from hub.api.auth import TokenStore
from hub.api.settings import ApiSettings
from hub.cli.web import tokens_app
from hub.web.context import COOKIE
from store.engine import session_scope
from tests.routing.conftest import add_leads
from tests.web.conftest import login
from tests.web.seed import web_settings, write_users

PHONE = "13987654321"


def _app(store: Engine, tmp_path: Path, **api: Any) -> tuple[TestClient, TokenStore]:
    settings = ApiSettings(tokens_file=tmp_path / "api_tokens.toml", **api)
    web = web_settings(users_file=write_users(tmp_path / "users.toml"))
    app = create_app(store, WebFormSettings(secrets={"f": "form-secret"}, max_body_bytes=4096), settings, web)
    return TestClient(app, raise_server_exceptions=False), TokenStore(settings.tokens_file)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _first_contact(store: Engine, lead_id: int) -> Any:
    with session_scope(store) as s:
        return s.get_one(Lead, lead_id).first_contact_at


def test_routing_needs_a_token_with_the_right_role_and_the_ledger_names_the_client(
    store: Engine, tmp_path: Path
) -> None:
    client, tokens = _app(store, tmp_path)
    [lead_id] = add_leads(store, {"address": "上海市徐汇区"})
    url = f"/routing/leads/{lead_id}/contacted"
    backdated = {"at": "2020-01-01T00:00:00Z", "by": "user:li"}
    assert client.post(url, json=backdated).status_code == 401  # the finding: anyone could
    assert (
        client.post(url, json=backdated, headers=_bearer("shk_000000000000_" + "x" * 43)).status_code == 401
    )
    assert client.get(f"/routing/leads/{lead_id}/explain").status_code == 401
    _, reader = tokens.add("dashboard", ["routing_read"])
    assert client.post(url, json=backdated, headers=_bearer(reader)).status_code == 403
    assert _first_contact(store, lead_id) is None
    explained = client.get(f"/routing/leads/{lead_id}/explain", headers=_bearer(reader))
    assert explained.status_code == 404 and "lead" in explained.json()["detail"]  # let in; not routed yet

    entry, writer = tokens.add("crm", ["routing_write"])
    future = client.post(url, json={"at": "2999-01-01T00:00:00Z"}, headers=_bearer(writer))
    assert future.status_code == 422 and _first_contact(store, lead_id) is None
    answer = client.post(url, json={"by": "user:li"}, headers=_bearer(writer))
    assert answer.status_code == 200, answer.text
    with session_scope(store) as s:
        actors = set(
            s.scalars(select(AuditLog.actor).where(AuditLog.correlation_id == f"token:{entry.key_id}"))
        )
    assert actors == {"api:crm"}  # the lead's update and the "contacted" event, not "system"

    tokens.revoke(entry.key_id)
    assert client.post(url, json={}, headers=_bearer(writer)).status_code == 401


def test_metrics_and_schema_are_closed_by_default_and_open_by_setting(store: Engine, tmp_path: Path) -> None:
    client, tokens = _app(store, tmp_path)
    for path in ("/metrics", "/openapi.json"):
        answer = client.get(path)
        assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    _, writer = tokens.add("crm", ["routing_write"])
    assert client.get("/metrics", headers=_bearer(writer)).status_code == 403
    _, monitor = tokens.add("prometheus", ["monitor"])
    assert "synchub_quarantine_open" in client.get("/metrics", headers=_bearer(monitor)).text
    schema = client.get("/openapi.json", headers=_bearer(monitor)).json()
    assert "/routing/leads/{lead_id}/contacted" in schema["paths"] and "HTTPBearer" in str(schema)
    assert client.get("/healthz").status_code == 200

    public, _ = _app(store, tmp_path / "public", metrics_public=True, schema_public=True)
    assert public.get("/metrics").status_code == 200 and public.get("/openapi.json").status_code == 200


def test_a_cross_origin_form_post_with_the_console_cookie_gets_nowhere(store: Engine, tmp_path: Path) -> None:
    client, _ = _app(store, tmp_path)
    [lead_id] = add_leads(store, {"address": "上海市徐汇区"})
    console = TestClient(client.app, base_url="http://testserver/console")
    login(console, "root")
    cookie = console.cookies.get(COOKIE)
    assert cookie
    evil = {"Origin": "https://evil.example", "Cookie": f"{COOKIE}={cookie}"}
    url = f"/routing/leads/{lead_id}/contacted"
    for content_type in ("application/x-www-form-urlencoded", "text/plain"):
        answer = client.post(
            url, content=b'{"at":"2020-01-01"}', headers={**evil, "Content-Type": content_type}
        )
        assert answer.status_code == 401
    preflight = client.options(url, headers={**evil, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "authorization"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    assert _first_contact(store, lead_id) is None


def test_api_tokens_commands_print_the_token_once_and_keep_only_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "api_tokens.toml"
    monkeypatch.setenv("SYNCHUB_API_TOKENS_FILE", str(path))
    runner = CliRunner()
    added = runner.invoke(tokens_app, ["add", "crm", "--role", "routing_write", "--role", "routing_read"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    assert token.startswith("shk_") and token not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    caller = TokenStore(path).check(token)
    assert (
        caller is not None and caller.actor == "api:crm" and caller.roles == {"routing_write", "routing_read"}
    )
    listed = runner.invoke(tokens_app, ["list"])
    assert "crm" in listed.output and token not in listed.output
    assert runner.invoke(tokens_app, ["revoke", caller.key_id]).exit_code == 0
    assert TokenStore(path).check(token) is None
    assert runner.invoke(tokens_app, ["add", "x", "--role", "root"]).exit_code == 1
    assert runner.invoke(tokens_app, ["revoke", "nope"]).exit_code == 1


async def _stream(app: Any, path: str, chunks: int, chunk: bytes) -> tuple[int, int]:
    """POST ``chunks`` × ``chunk`` without Content-Length; returns (status, chunks the app pulled)."""
    pulled, status = 0, 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= chunks:
            return {"type": "http.disconnect"}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = status or message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"transfer-encoding", b"chunked"), (b"content-type", b"application/json")],
             "client": ("127.0.0.1", 1), "server": ("testserver", 80)}  # fmt: skip
    await app(scope, receive, send)
    return status, pulled


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_300_mb_chunked_body_is_refused_at_the_limit_not_buffered(store: Engine, tmp_path: Path) -> None:
    client, _ = _app(store, tmp_path)
    mib = b"x" * (1 << 20)
    for path in ("/hooks/forms/f", "/hooks/contracts/acme", "/routing/leads/1/contacted"):
        status, pulled = asyncio.run(_stream(client.app, path, 300, mib))
        assert (status, pulled) == (413, 1), path  # the first MiB is past every limit: nothing more read
    declared = client.post("/hooks/forms/f", content=b"x" * 5000)
    assert declared.status_code == 413 and declared.headers["connection"] == "close"


def test_uvicorn_access_log_masks_phones_in_query_strings(
    store: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert mask_target(f"/a/{PHONE}?q=%2B86+139+8765+4321&x=1") == "/a/139****4321?q=139%2A%2A%2A%2A4321&x=1"
    client, _ = _app(store, tmp_path)
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    with serve_in_thread(client.app, access_log=True) as url:
        httpx.get(f"{url}/healthz", params={"phone": f"+86 {PHONE}", "next": f"/x?p={PHONE}"})
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert lines and "/healthz?phone=" in lines[0]
    assert PHONE not in caplog.text and "8765" not in caplog.text
