"""The hub's HTTP API: the signed web-form webhook, contract intake, routing, metrics, the console.

Each submission is landed (committed) before it is answered; the group-commit lander puts the
submissions that arrive together into one transaction (services/intake/lander.py).

Who may call what: the web-form and contract hooks check their senders' HMAC signatures; routing needs
an API client token (``hub.api.auth``); ``/metrics`` and ``/openapi.json`` need a token with the
``monitor`` role unless ``SYNCHUB_API_METRICS_PUBLIC`` / ``SCHEMA_PUBLIC`` say otherwise; the console
has its own login, cookie and CSRF tokens. ``/healthz`` holds no data. No CORS headers are sent: a
page on another origin can neither read an answer nor send a token. Every body is limited while it
streams (:class:`core.serving.BodyLimit`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.engine import Engine

from connectors.base import SourceRecord
from connectors.webform import ReplayGuard, WebFormSettings, WebhookRejected, read_signed_json
from core.errors import UnstorableRecordError
from core.metrics import WEBHOOK_SECONDS, scrape_registry
from core.serving import BodyLimit, mask_access_log
from hub.api.auth import TokenStore, require_token
from hub.api.contracts import build_contract_router
from hub.api.hot_path import HotPath
from hub.api.routing import build_router as routing_router
from hub.api.settings import ApiSettings
from hub.web import WebSettings, create_web_app
from services.finance.settings import ContractApiSettings
from services.intake.lander import BatchLander
from services.intake.landing import Outcome
from services.status import gather_status

__all__ = ["app_from_environment", "create_app"]

log = logging.getLogger("synchub.api")
CONSOLE_MAX_BODY = 1024 * 1024


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "rejected", "error": message}, status_code=status)


def create_app(
    engine: Engine,
    settings: WebFormSettings | None = None,
    api: ApiSettings | None = None,
    web: WebSettings | None = None,
) -> FastAPI:
    """The API; settings not given come from the environment. The console is mounted at /console
    when ``web`` (or the environment) has its session secret."""
    settings = settings or WebFormSettings()
    api = api or ApiSettings()
    web = web or WebSettings()
    guard = ReplayGuard(settings.window_seconds)
    lander = BatchLander(engine)
    tokens = TokenStore(api.tokens_file)
    monitor = require_token(tokens, "monitor")
    mask_access_log()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        lander.close()

    no_schema: dict[str, Any] = {"openapi_url": None, "docs_url": None, "redoc_url": None}  # served below
    app = FastAPI(title="SyncHub API", version="0.1.0", lifespan=lifespan, **no_schema)
    app.include_router(routing_router(engine, tokens), prefix="/routing")
    app.include_router(build_contract_router(engine))
    if web.secret is not None:  # the console needs its session secret; the API runs without it
        app.mount("/console", create_web_app(engine, settings=web))
    open_metrics = [] if api.metrics_public else [Depends(monitor)]
    open_schema = [] if api.schema_public else [Depends(monitor)]
    registry = scrape_registry(lambda: gather_status(engine))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", dependencies=open_metrics)
    def metrics() -> Response:
        """Prometheus text: the figures of `synchub status` and the event counters (core.metrics)."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/openapi.json", include_in_schema=False, dependencies=open_schema)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.post("/hooks/forms/{form_id}")
    async def web_form(form_id: str, request: Request) -> JSONResponse:
        with WEBHOOK_SECONDS.labels("web_form").time():
            return await _web_form(form_id, request)

    async def _web_form(form_id: str, request: Request) -> JSONResponse:
        try:
            payload, body = await read_signed_json(
                request,
                form_id,
                settings.secrets,
                settings.max_body_bytes,
                settings.window_seconds,
                guard,
                id_field="submission_id",
            )
        except WebhookRejected as exc:
            log.info("web form %s rejected: %s", form_id, exc)
            return _problem(exc.status, str(exc))
        record = SourceRecord(
            external_id=str(payload.get("submission_id") or hashlib.sha256(body).hexdigest()),
            account=form_id,
            payload=payload,
            sent_at=datetime.fromtimestamp(int(request.headers["x-synchub-timestamp"]), UTC),
        )
        future = lander.submit(f"webform:{form_id}", "web_form", record)
        try:
            outcome, batch = await asyncio.wrap_future(future)
        except UnstorableRecordError as exc:  # it would fail again: not a retry, a fix at the sender
            return _problem(422, str(exc))
        except Exception:  # logged by the lander; nothing was committed, so a retry is safe
            return _problem(503, "the submission could not be stored just now; retry it")
        return _answer(outcome, record.external_id, batch)

    app.add_middleware(HotPath, prefix="/hooks/forms/", handler=web_form)
    limits = [
        ("/hooks/forms/", settings.max_body_bytes),
        ("/hooks/contracts/", ContractApiSettings().max_body_bytes),
        ("/console/", CONSOLE_MAX_BODY),  # its forms stop at 64 KiB themselves (hub.web.forms)
    ]
    app.add_middleware(BodyLimit, limits=limits, default=api.max_body_bytes)  # outermost: before HotPath
    return app


def app_from_environment() -> FastAPI:
    """The app as configured by the environment (``SYNCHUB_DATABASE_URL``, ``SYNCHUB_WEBFORM_*``).

    uvicorn calls this in each worker process of ``synchub serve-api --workers N``: a worker builds
    its own engine and lander, and SQLite (WAL, ``BEGIN IMMEDIATE``) or PostgreSQL (the ledger's head
    lock) serialises their transactions.
    """
    from hub.api.gc_tuning import tune_for_serving
    from store.engine import make_engine

    app = create_app(make_engine())
    tune_for_serving()
    return app


def _answer(outcome: Outcome, submission_id: str, batch: str) -> JSONResponse:
    body: dict[str, Any] = {"status": outcome.status, "submission_id": submission_id, "batch": batch}
    if outcome.status == "quarantined":
        return JSONResponse({**body, "reason": outcome.reason}, status_code=202)
    if outcome.status == "stale":  # a replay, or a retry overtaken by a newer delivery: nothing changed
        return JSONResponse({**body, "reason": outcome.reason}, status_code=409)
    body["lead_id"] = outcome.lead_id
    return JSONResponse(body, status_code=201 if outcome.status == "landed" else 200)
