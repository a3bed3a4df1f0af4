"""The console application: :func:`create_web_app` (mount it anywhere, e.g. under ``/console``) and
:func:`create_console_server` (the console at ``/console`` on its own, for ``synchub web``)."""

from __future__ import annotations

import logging
import re
import secrets
import time
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import ConfigError
from core.redact import mask_text
from core.settings import HubSettings
from hub.web.context import Console, Viewer, viewer
from hub.web.errors import install_error_handlers
from hub.web.login import HashGate, parse_networks
from hub.web.render import make_templates
from hub.web.security import AddressThrottle, LoginLimiter, Signer
from hub.web.sessions import RevokedSessions
from hub.web.settings import WebSettings
from hub.web.users import UserStore
from hub.web.views import audit, auth, exports, flows, lead, leads, people, receivables, review

__all__ = ["MOUNT", "create_console_server", "create_web_app"]

MOUNT = "/console"
access = logging.getLogger("synchub.web.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class RequestIds:
    """Gives each request an id (or keeps a sane ``X-Request-ID``) and adds the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        path = str(scope.get("path", ""))
        static, started, status = "/static/" in path, time.perf_counter(), 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers += [*_HEADERS, (b"x-request-id", request_id.encode())]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:  # the path without its query (searches may hold anything), masked
            elapsed = (time.perf_counter() - started) * 1000
            access.info("%s %s %d %.0f ms %s", scope["method"], mask_text(path), status, elapsed, request_id)


class Me(BaseModel):
    name: str
    display_name: str
    roles: list[str]
    pages: list[str]


def create_web_app(
    engine: Engine,
    users_file: Path | None = None,
    settings: WebSettings | None = None,
    hub_settings: HubSettings | None = None,
) -> FastAPI:
    """The console: server-rendered pages and their JSON API (``/api/...``, schema at
    ``/api/openapi.json``). ``hub_settings`` gives the ledger signing key for bundles (default: the
    process settings)."""
    settings = settings or WebSettings()
    if settings.secret is None:
        raise ConfigError("the web console needs SYNCHUB_WEB_SECRET (32+ random characters) to sign sessions")
    users_file = users_file or settings.users_file
    revoked_file = settings.revoked_sessions_file or users_file.with_name("web_revoked_sessions.json")
    console = Console(
        engine=engine,
        users=UserStore(users_file),
        signer=Signer(settings.secret.get_secret_value(), settings.session_hours * 3600),
        limiter=LoginLimiter(settings.lockout_failures, settings.lockout_minutes * 60),
        settings=settings,
        hub_settings=hub_settings,
        templates=make_templates(),
        throttle=AddressThrottle(settings.login_address_failures, settings.login_address_minutes * 60),
        gate=HashGate(settings.login_concurrency, settings.login_queue),
        revoked=RevokedSessions(revoked_file),
        proxies=parse_networks(settings.trusted_proxies),
    )
    app = FastAPI(
        title="SyncHub console API",
        version="0.1.0",
        description="JSON of what the console pages show. Log in through the console; the session "
        "cookie authenticates these calls. Personal values are masked.",
        openapi_url=None,  # served below, to logged-in users only
        docs_url=None,  # Swagger UI loads from a CDN: not here
        redoc_url=None,
    )
    app.state.console = console
    app.add_middleware(RequestIds)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(packages=[("hub.web", "static")]), name="static")
    app.include_router(auth.router)
    app.include_router(exports.pages)
    for module in (review, audit, receivables, leads, lead, people, flows):
        app.include_router(module.pages)
        app.include_router(module.api)

    @app.get("/api/openapi.json", include_in_schema=False)
    def openapi(seen: Annotated[Viewer, Depends(viewer)]) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/api/me", response_model=Me, tags=["session"])
    def me(seen: Annotated[Viewer, Depends(viewer)]) -> Me:
        """Who is logged in, with which roles and pages."""
        user = seen.user
        pages = [p.key for p in seen.pages()]
        return Me(name=user.name, display_name=user.display_name, roles=sorted(user.roles), pages=pages)

    return app


def create_console_server(
    engine: Engine,
    users_file: Path | None = None,
    settings: WebSettings | None = None,
    hub_settings: HubSettings | None = None,
) -> FastAPI:
    """The console mounted at ``/console`` with ``/`` redirecting to it: what ``synchub web`` serves."""
    server = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    server.mount(MOUNT, create_web_app(engine, users_file, settings, hub_settings))

    @server.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{MOUNT}/", status_code=307)

    return server
