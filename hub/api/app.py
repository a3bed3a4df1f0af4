"""The hub's HTTP API: the signed web-form webhook (more endpoints join as issues land).

Each submission is landed (committed) before it is answered; the group-commit lander puts the
submissions that arrive together into one transaction (services/intake/lander.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.engine import Engine

from connectors.base import SourceRecord
from connectors.webform import ReplayGuard, WebFormSettings, WebhookRejected, read_signed_json
from hub.api.contracts import build_contract_router
from hub.api.hot_path import HotPath
from hub.api.routing import build_router as routing_router
from hub.web import WebSettings, create_web_app
from services.intake.lander import BatchLander
from services.intake.landing import Outcome
from services.status import gather_status, prometheus_text

__all__ = ["app_from_environment", "create_app"]

log = logging.getLogger("synchub.api")


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "rejected", "error": message}, status_code=status)


def create_app(engine: Engine, settings: WebFormSettings | None = None) -> FastAPI:
    settings = settings or WebFormSettings()
    guard = ReplayGuard(settings.window_seconds)
    lander = BatchLander(engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        lander.close()

    app = FastAPI(title="SyncHub API", version="0.1.0", lifespan=lifespan)
    app.include_router(routing_router(engine), prefix="/routing")
    app.include_router(build_contract_router(engine))
    web = WebSettings()
    if web.secret is not None:  # the console needs its session secret; the API runs without it
        app.mount("/console", create_web_app(engine, settings=web))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics() -> str:
        """Prometheus text: the figures of `synchub status`."""
        return prometheus_text(gather_status(engine))

    @app.post("/hooks/forms/{form_id}")
    async def web_form(form_id: str, request: Request) -> JSONResponse:
        try:
            payload, body = await read_signed_json(
                request, form_id, settings.secrets, settings.max_body_bytes, settings.window_seconds, guard
            )
        except WebhookRejected as exc:
            log.info("web form %s rejected: %s", form_id, exc)
            return _problem(exc.status, str(exc))
        record = SourceRecord(
            external_id=str(payload.get("submission_id") or hashlib.sha256(body).hexdigest()),
            account=form_id,
            payload=payload,
        )
        future = lander.submit(f"webform:{form_id}", "web_form", record)
        try:
            outcome, batch = await asyncio.wrap_future(future)
        except Exception:  # logged by the lander; nothing was committed, so a retry is safe
            return _problem(503, "the submission could not be stored just now; retry it")
        return _answer(outcome, record.external_id, batch)

    app.add_middleware(HotPath, prefix="/hooks/forms/", handler=web_form)
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
    body["lead_id"] = outcome.lead_id
    return JSONResponse(body, status_code=201 if outcome.status == "landed" else 200)
