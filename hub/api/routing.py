"""HTTP routes for routing: "contacted" from the CRM or a call system, and the explanation.

``build_router(engine)`` returns an APIRouter (mount it under ``/routing``):

- ``POST /leads/{lead_id}/contacted`` ``{"at": ISO-8601 (optional), "by": "who"}`` -> 200
  ``{"lead_id", "first_contact_at", "on_time", "already"}``; 404 for an unknown lead.
- ``GET /leads/{lead_id}/explain`` -> the decision from the ledger.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from core.errors import NotFoundError
from services.routing.explain import explain_lead
from services.routing.sla import mark_contacted

__all__ = ["ContactedIn", "build_router"]


class ContactedIn(BaseModel):
    at: datetime | None = Field(None, description="When the first contact happened (default: now).")
    by: str | None = Field(None, max_length=100, description="Who made it (user or system).")


def build_router(engine: Engine) -> APIRouter:
    router = APIRouter(tags=["routing"])

    @router.post("/leads/{lead_id}/contacted")
    def contacted(lead_id: int, body: ContactedIn | None = None) -> dict[str, Any]:
        body = body or ContactedIn()
        at = body.at
        if at is not None:
            at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
        try:
            result = mark_contacted(engine, lead_id, at, body.by)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None
        return {"lead_id": lead_id, "first_contact_at": result.first_contact_at.isoformat(),
                "on_time": result.on_time, "already": result.already}  # fmt: skip

    @router.get("/leads/{lead_id}/explain")
    def explain(lead_id: int) -> dict[str, Any]:
        try:
            return explain_lead(engine, lead_id)
        except NotFoundError as exc:
            raise HTTPException(404, str(exc)) from None

    return router
