"""HTTP routes for routing: "contacted" from the CRM or a call system, and the explanation.

``build_router(engine, tokens)`` returns an APIRouter (mount it under ``/routing``); every route needs
an API client token (``Authorization: Bearer``, ``hub.api.auth``) and the ledger names its client:

- ``POST /leads/{lead_id}/contacted`` (role ``routing_write``) ``{"at": ISO-8601 (optional, not in the
  future), "by": "who"}`` -> 200 ``{"lead_id", "first_contact_at", "on_time", "already"}``; 404 for an
  unknown lead. Ledger actor ``api:CLIENT``; ``by`` is kept in the event as the client's word.
- ``GET /leads/{lead_id}/explain`` (role ``routing_read``) -> the decision from the ledger.
"""

# No `from __future__ import annotations` here: FastAPI must see the closures' dependencies
# (Annotated[..., Depends(writer)]) as objects, and string annotations resolve in module globals only.

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from audit.context import audit_context
from core.errors import InputError, NotFoundError
from hub.api.auth import ApiCaller, TokenStore, require_token
from services.routing.explain import explain_lead
from services.routing.sla import mark_contacted

__all__ = ["ContactedIn", "build_router"]

CLOCK_SKEW = timedelta(minutes=5)
LeadId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ContactedIn(BaseModel):
    at: datetime | None = Field(None, description="When the first contact happened (default: now).")
    by: str | None = Field(None, max_length=100, description="Who made it (user or system).")


def build_router(engine: Engine, tokens: TokenStore) -> APIRouter:
    router = APIRouter(tags=["routing"])
    writer = require_token(tokens, "routing_write")
    reader = require_token(tokens, "routing_read")

    @router.post("/leads/{lead_id}/contacted")
    def contacted(
        lead_id: LeadId, caller: Annotated[ApiCaller, Depends(writer)], body: ContactedIn | None = None
    ) -> dict[str, Any]:
        body = body or ContactedIn()
        at = body.at
        if at is not None:
            try:
                at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
            except OverflowError:  # year 1 or 9999 shifted past the calendar's end
                raise HTTPException(422, "at: out of range") from None
            if at > datetime.now(UTC) + CLOCK_SKEW:
                raise HTTPException(422, "at: a first contact cannot be in the future")
        try:
            with audit_context(actor=caller.actor, correlation_id=f"token:{caller.key_id}"):
                result = mark_contacted(engine, lead_id, at, body.by)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
        return {"lead_id": lead_id, "first_contact_at": result.first_contact_at.isoformat(),
                "on_time": result.on_time, "already": result.already}  # fmt: skip

    @router.get("/leads/{lead_id}/explain")
    def explain(lead_id: LeadId, caller: Annotated[ApiCaller, Depends(reader)]) -> dict[str, Any]:
        try:
            return explain_lead(engine, lead_id)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None

    return router
