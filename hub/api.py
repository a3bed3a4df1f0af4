"""The hub's HTTP API: the signed web-form webhook (more endpoints join as issues land).

Sync endpoints on purpose: each request lands its record in one short transaction before answering,
and FastAPI runs them in its thread pool.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from audit.context import audit_context
from connectors.base import SourceRecord
from connectors.webform import ReplayGuard, WebFormSettings, WebhookRejected, verify_request
from hub.landing import ensure_source, land_records
from hub.models import Lead, QuarantinedRecord, RawRecord
from hub.status import gather_status, prometheus_text
from hub.store import session_scope

__all__ = ["create_app"]

log = logging.getLogger("synchub.api")


def _problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "rejected", "error": message}, status_code=status)


def create_app(engine: Engine, settings: WebFormSettings | None = None) -> FastAPI:
    settings = settings or WebFormSettings()
    guard = ReplayGuard(settings.window_seconds)
    app = FastAPI(title="SyncHub API", version="0.1.0")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", response_class=PlainTextResponse)
    def metrics() -> str:
        """Prometheus text: the figures of `synchub status`."""
        return prometheus_text(gather_status(engine))

    @app.post("/hooks/forms/{form_id}")
    async def web_form(form_id: str, request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
            return _problem(413, f"body over {settings.max_body_bytes} bytes")
        body = await request.body()
        if len(body) > settings.max_body_bytes:
            return _problem(413, f"body over {settings.max_body_bytes} bytes")
        secret = settings.secrets.get(form_id)
        if secret is None:
            return _problem(404, f"unknown form {form_id!r}")
        try:
            verify_request(request.headers, body, secret.get_secret_value(), settings.window_seconds, guard)
            payload = _parse(body)
        except WebhookRejected as exc:
            log.info("web form %s rejected: %s", form_id, exc)
            return _problem(exc.status, str(exc))
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        status, answer = await run_in_threadpool(_land, engine, form_id, payload, body, request_id)
        return JSONResponse(answer, status_code=status)

    return app


def _parse(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookRejected(400, f"malformed JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, f"the body must be a JSON object, not {type(payload).__name__}")
    return payload


def _land(
    engine: Engine, form_id: str, payload: dict[str, Any], body: bytes, request_id: str
) -> tuple[int, dict[str, Any]]:
    external_id = str(payload.get("submission_id") or hashlib.sha256(body).hexdigest())
    record = SourceRecord(external_id=external_id, account=form_id, payload=payload)
    actor, correlation = f"api:webform:{form_id}", f"req:{request_id}"
    with audit_context(actor=actor, correlation_id=correlation), session_scope(engine) as s:
        source = ensure_source(s, f"webform:{form_id}", "web_form")
        result = land_records(s, source, [record])
        quarantined = result.quarantined > 0
        lead_id = None if quarantined else _lead_id(s, source.id, external_id)
        reason = _reason(s, source.id, external_id) if quarantined else None
    if quarantined:
        return 202, {"status": "quarantined", "reason": reason, "submission_id": external_id}
    if result.landed:
        return 201, {"status": "landed", "lead_id": lead_id, "submission_id": external_id}
    status = "updated" if result.updated else "duplicate"
    return 200, {"status": status, "lead_id": lead_id, "submission_id": external_id}


def _lead_id(session: Session, source_id: int, external_id: str) -> int | None:
    return session.scalar(select(Lead.id).where(Lead.source_id == source_id, Lead.external_id == external_id))


def _reason(session: Session, source_id: int, external_id: str) -> str | None:
    return session.scalar(
        select(QuarantinedRecord.error)
        .join(RawRecord, RawRecord.id == QuarantinedRecord.raw_record_id)
        .where(RawRecord.source_id == source_id, RawRecord.external_id == external_id)
        .order_by(QuarantinedRecord.id.desc())
        .limit(1)
    )
