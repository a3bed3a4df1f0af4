"""Receivables (finance): contracts and installments (pushed, ERP ids, invoiced, paid, days overdue);
dead ERP pushes with retry (``services.finance.outbox.retry_messages``)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from hub.web.confirm import ask, confirmed
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.confirm import retry_all_preview
from hub.web.data.receivable_totals import page_totals
from hub.web.data.receivables import (
    DeadLetter,
    ReceivablesPage,
    ReceivablesQuery,
    dead_letters,
    outbox_counts,
    receivables,
)
from hub.web.forms import Form, posted
from hub.web.render import render
from services.finance.outbox import retry_messages

__all__ = ["api", "pages"]

log = logging.getLogger("synchub.web")
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/receivables", tags=["receivables"])
Finance = Annotated[Viewer, Depends(require("finance"))]
TEXT = r"^[^\x00-\x1f\x7f]*$"


def receivables_query(
    q: Annotated[str, Query(max_length=100, pattern=TEXT, description="contract no., company, phone")] = "",
    overdue_only: bool = False,
    unpushed_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReceivablesQuery:
    return ReceivablesQuery(
        q=q.strip() or None,
        overdue_only=overdue_only,
        unpushed_only=unpushed_only,
        limit=limit,
        offset=offset,
    )


Filters = Annotated[ReceivablesQuery, Depends(receivables_query)]


@pages.get("/receivables")
def receivables_page(
    request: Request,
    seen: Finance,
    query: Filters,
    retried: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    engine = console_of(request).engine
    found = receivables(engine, query)
    sums, whole = page_totals(engine, query, found)
    return render(
        request,
        "receivables.html",
        q=query,
        page=found,
        totals=sums,
        totals_whole=whole,
        dead=dead_letters(engine, 100),
        outbox=outbox_counts(engine),
        flash=None if retried is None else f"已重新排队 {retried} 条推送（发送前先按业务键回查 ERP）",
    )


def _retried(request: Request, ids: list[int]) -> Response:
    return RedirectResponse(f"{base_path(request)}/receivables?retried={len(ids)}", status_code=303)


@pages.post("/receivables/dead-letters/{message_id}/retry")
def retry_one(
    request: Request,
    seen: Finance,
    form: Annotated[Form, Depends(posted)],
    message_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    with seen.acting(form.note() or "retried from the console"):
        ids = retry_messages(console_of(request).engine, [message_id])
    log.info("outbox message %d retried by %s", message_id, seen.user.name)
    return _retried(request, ids)


@pages.post("/receivables/dead-letters/retry-all")
def retry_all(request: Request, seen: Finance, form: Annotated[Form, Depends(posted)]) -> Response:
    engine = console_of(request).engine
    if not confirmed(form):
        return ask(request, retry_all_preview(engine), form, "确认全部重试", "/receivables")
    shown = set(form.ints("id"))  # exactly the messages the confirmation listed, if still dead
    still_dead = [m.id for m in dead_letters(engine, 100_000) if m.id in shown]
    with seen.acting(form.note() or "retried from the console"):
        ids = retry_messages(engine, still_dead) if still_dead else []
    log.info("%d dead outbox messages retried by %s", len(ids), seen.user.name)
    return _retried(request, ids)


@api.get("", response_model=ReceivablesPage)
def receivables_api(request: Request, seen: Finance, query: Filters) -> ReceivablesPage:
    """Contracts, newest signed first, each with its installments and how far each got."""
    return receivables(console_of(request).engine, query)


@api.get("/dead-letters", response_model=list[DeadLetter])
def dead_letters_api(
    request: Request, seen: Finance, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[DeadLetter]:
    """ERP pushes that gave up (fatal error or attempts used up), oldest first."""
    return dead_letters(console_of(request).engine, limit)


@api.get("/outbox", response_model=dict[str, int])
def outbox_api(request: Request, seen: Finance) -> dict[str, int]:
    """Outbox messages by status (pending, in_flight, done, dead, cancelled)."""
    return outbox_counts(console_of(request).engine)
