"""Contract intake over HTTP: ``POST /hooks/contracts/{client_id}``, signed like the web-form webhook
(``X-SyncHub-Timestamp``, ``X-SyncHub-Signature: sha256=HMAC(secret, f"{timestamp}.{body}")``, one
secret per client, ±5 minutes, replays refused).

Answers: 201 created / 200 unchanged (the same contract again) with the installment schedule; 401 bad
signature, 404 unknown client, 409 replay or a conflicting contract, 413 too large, 422 invalid with
every problem listed. The hub's app mounts the router (``build_contract_router``).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from connectors.webform.receive import read_signed_json
from connectors.webform.signature import ReplayGuard, WebhookRejected
from core.errors import InputError
from core.metrics import WEBHOOK_SECONDS
from services.finance.intake import ContractConflict, ContractInvalid, sign_contract
from services.finance.settings import ContractApiSettings, FinanceSettings

__all__ = ["build_contract_router"]

log = logging.getLogger("synchub.finance.api")


def _reject(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": "rejected", "error": message, **extra}, status_code=status)


def build_contract_router(
    engine: Engine, settings: ContractApiSettings | None = None, finance: FinanceSettings | None = None
) -> APIRouter:
    settings = settings or ContractApiSettings()
    guard = ReplayGuard(settings.window_seconds)
    router = APIRouter(tags=["contracts"])

    @router.post("/hooks/contracts/{client_id}")
    async def contract_signed(client_id: str, request: Request) -> JSONResponse:
        with WEBHOOK_SECONDS.labels("contract").time():
            return await _contract_signed(client_id, request)

    async def _contract_signed(client_id: str, request: Request) -> JSONResponse:
        try:
            payload, _ = await read_signed_json(
                request,
                client_id,
                settings.secrets,
                settings.max_body_bytes,
                settings.window_seconds,
                guard,
                kind="client",
            )
        except WebhookRejected as exc:
            log.info("contract from %s rejected: %s", client_id, exc)
            return _reject(exc.status, str(exc))
        try:
            result = await run_in_threadpool(
                sign_contract,
                engine,
                payload,
                actor=f"api:{client_id}",
                source=f"api:{client_id}",
                settings=finance,
            )
        except ContractInvalid as exc:
            return _reject(422, "invalid contract", problems=exc.problems)
        except ContractConflict as exc:
            return _reject(409, str(exc))
        except InputError as exc:
            return _reject(422, str(exc))
        log.info("contract %s from %s: %s", result.number, client_id, result.status)
        return JSONResponse(asdict(result), status_code=201 if result.status == "created" else 200)

    return router
