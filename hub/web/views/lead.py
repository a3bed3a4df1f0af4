"""One lead (ops, sales managers): its owner, deadlines and stage, and moving the stage forward.

A stage set here goes through ``services.routing.stages.set_stage`` like ``synchub route stage``: forward
only, a ``stage`` event in the ledger naming the user, the reason kept as the entry's reason. The funnel
counts it (``hub.web.data.lead_progress``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from core.errors import InputError
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.lead_card import LeadCard, lead_card
from hub.web.forms import Form, posted
from hub.web.labels import label
from hub.web.render import render
from services.routing.stages import STAGES, set_stage
from store.engine import session_scope

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/leads", tags=["leads"])
Seller = Annotated[Viewer, Depends(require("ops", "sales_manager"))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _card(request: Request, lead_id: int) -> LeadCard:
    with session_scope(console_of(request).engine) as s:
        return lead_card(s, lead_id)


@pages.get("/leads/open")
def open_lead(request: Request, seen: Seller, id: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> Response:
    """The leads page's "open lead #" box."""
    return RedirectResponse(f"{base_path(request)}/leads/{id}", status_code=303)


@pages.get("/leads/{lead_id:int}")
def lead_page(
    request: Request, seen: Seller, lead_id: Id, done: Annotated[str | None, Query(max_length=20)] = None
) -> Response:
    card = _card(request, lead_id)
    flash = f"阶段已改为：{label(done, 'stage')}" if done in STAGES else None
    return render(request, "lead.html", lead=card, flash=flash)


@pages.post("/leads/{lead_id:int}/stage")
def move_stage(
    request: Request, seen: Seller, form: Annotated[Form, Depends(posted)], lead_id: Id
) -> Response:
    stage = form.get("stage")
    if stage not in _card(request, lead_id).next_stages:
        raise InputError(f"线索 {lead_id} 不能改到阶段 {stage or '（空）'}：阶段只能向前推进")
    note = form.note()
    with seen.acting(note):
        set_stage(console_of(request).engine, lead_id, stage, by=seen.actor, note=note)
    return RedirectResponse(f"{base_path(request)}/leads/{lead_id}?done={stage}", status_code=303)


@api.get("/{lead_id:int}", response_model=LeadCard)
def lead_api(request: Request, seen: Seller, lead_id: Id) -> LeadCard:
    """One lead: owner, deadlines, stage and the stages it may move to (personal values masked)."""
    return _card(request, lead_id)
