"""Review (admin): pending pairs with their per-field explanation, approve or reject; clusters, unmerge."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from dedupe.review import approve, reject, unmerge
from hub.web.confirm import ask, confirmed
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.confirm import merge_preview, unmerge_preview
from hub.web.data.review import (
    CARD_FIELDS,
    CandidateDetail,
    CandidateSummary,
    ClusterView,
    candidate_detail,
    candidates,
    clusters,
)
from hub.web.forms import Form, posted
from hub.web.render import render
from services.routing.people import settle_review
from store.engine import session_scope

__all__ = ["api", "pages"]

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/review", tags=["review"])
Admin = Annotated[Viewer, Depends(require("admin"))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Limit = Annotated[int, Query(ge=1, le=200)]
_DONE = {"approved": "已合并候选 {}", "rejected": "已驳回候选 {}", "unmerged": "已拆分客户 {}"}


def _flash(done: str | None, ident: int | None) -> str | None:
    return _DONE[done].format(ident) if done in _DONE and ident else None


@pages.get("/review")
def review_page(
    request: Request,
    seen: Admin,
    done: Annotated[str | None, Query(max_length=20)] = None,
    id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    with session_scope(console_of(request).engine) as s:
        pending, merged = candidates(s, "pending", 100), clusters(s, 50)
    return render(request, "review.html", pending=pending, clusters=merged, flash=_flash(done, id))


@pages.get("/review/candidates/{candidate_id}")
def candidate_page(request: Request, seen: Admin, candidate_id: Id) -> Response:
    with session_scope(console_of(request).engine) as s:
        detail = candidate_detail(s, candidate_id)
    return render(request, "candidate.html", c=detail, card_fields=CARD_FIELDS)


def _back(request: Request, done: str, ident: int) -> Response:
    return RedirectResponse(f"{base_path(request)}/review?done={done}&id={ident}", status_code=303)


@pages.post("/review/candidates/{candidate_id}/approve")
def approve_candidate(
    request: Request, seen: Admin, form: Annotated[Form, Depends(posted)], candidate_id: Id
) -> Response:
    if not confirmed(form):
        with session_scope(console_of(request).engine) as s:
            preview = merge_preview(s, candidate_id)
        return ask(request, preview, form, "确认合并", f"/review/candidates/{candidate_id}")
    with seen.acting(form.note()), session_scope(console_of(request).engine) as s:
        cluster = approve(s, candidate_id, seen.actor, form.note())
        settle_review(s, merged=cluster.golden_id)  # one owner, open leads moved, both salespeople told
    return _back(request, "approved", candidate_id)


@pages.post("/review/candidates/{candidate_id}/reject")
def reject_candidate(
    request: Request, seen: Admin, form: Annotated[Form, Depends(posted)], candidate_id: Id
) -> Response:
    with seen.acting(form.note()), session_scope(console_of(request).engine) as s:
        reject(s, candidate_id, seen.actor, form.note())
    return _back(request, "rejected", candidate_id)


@pages.post("/review/customers/{customer_id}/unmerge")
def unmerge_customer(
    request: Request, seen: Admin, form: Annotated[Form, Depends(posted)], customer_id: Id
) -> Response:
    if not confirmed(form):
        with session_scope(console_of(request).engine) as s:
            preview = unmerge_preview(s, customer_id)
        return ask(request, preview, form, "确认拆分", "/review")
    with seen.acting(form.note()), session_scope(console_of(request).engine) as s:
        settle_review(s, restored=unmerge(s, customer_id, seen.actor, form.note()))
    return _back(request, "unmerged", customer_id)


@api.get("/candidates", response_model=list[CandidateSummary])
def list_api(
    request: Request,
    seen: Admin,
    status: Literal["pending", "approved", "rejected"] = "pending",
    limit: Limit = 50,
) -> list[CandidateSummary]:
    """Candidates in a status, highest score first (automatic merges are not listed)."""
    with session_scope(console_of(request).engine) as s:
        return candidates(s, status, limit)


@api.get("/candidates/{candidate_id}", response_model=CandidateDetail)
def detail_api(request: Request, seen: Admin, candidate_id: Id) -> CandidateDetail:
    """One pair: both customers (personal values masked) and the level and weight of every field."""
    with session_scope(console_of(request).engine) as s:
        return candidate_detail(s, candidate_id)


@api.get("/clusters", response_model=list[ClusterView])
def clusters_api(request: Request, seen: Admin, limit: Limit = 50) -> list[ClusterView]:
    """Merged clusters, newest first, with their members."""
    with session_scope(console_of(request).engine) as s:
        return clusters(s, limit)
