"""Audit (auditor): search the ledger, one record's history with diffs, verification, the bundle."""

from __future__ import annotations

import logging
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from core.errors import InputError
from hub.web.context import Viewer, base_path, console_of, require
from hub.web.data.audit import AuditPage, AuditQuery, HistoryEntry, history, search
from hub.web.data.ledger import CheckpointView, Verification, export_zip, latest_checkpoint, verify
from hub.web.forms import Form, posted
from hub.web.render import render

__all__ = ["api", "pages"]

log = logging.getLogger("synchub.web")
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/audit", tags=["audit"])
Auditor = Annotated[Viewer, Depends(require("auditor"))]
TEXT = r"^[^\x00-\x1f\x7f]*$"
DAY = r"^(\d{4}-\d{2}-\d{2})?$"
EntityType = Annotated[str, Path(pattern=r"^[a-z_]{1,60}$")]
EntityId = Annotated[str, Path(pattern=r"^[^\x00-\x1f\x7f/]{1,60}$")]
Seq = Annotated[int | None, Query(ge=1, le=2**62)]


def _day(text: str, name: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise InputError(f"{name}: {text!r} 不是有效日期（YYYY-MM-DD）") from None


def audit_query(
    q: Annotated[
        str, Query(max_length=100, pattern=TEXT, description="contract number, company name, phone, lead id")
    ] = "",
    entity_type: Annotated[str, Query(max_length=60, pattern=r"^[a-z_]*$", description="e.g. customer")] = "",
    entity_id: Annotated[str, Query(max_length=60, pattern=TEXT)] = "",
    actor: Annotated[str, Query(max_length=200, pattern=TEXT, description="prefix, e.g. user:")] = "",
    action: Annotated[str, Query(max_length=20, pattern=r"^[a-z_]*$", description="insert, merge ...")] = "",
    since: Annotated[str, Query(pattern=DAY, description="first day (CST), YYYY-MM-DD")] = "",
    until: Annotated[str, Query(pattern=DAY, description="last day (CST), YYYY-MM-DD")] = "",
    before_seq: Seq = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditQuery:
    return AuditQuery(
        q=q.strip() or None,
        entity_type=entity_type or None,
        entity_id=entity_id.strip() or None,
        actor=actor.strip() or None,
        action=action or None,
        since=_day(since, "since"),
        until=_day(until, "until"),
        before_seq=before_seq,
        limit=limit,
    )


Filters = Annotated[AuditQuery, Depends(audit_query)]


@pages.get("/audit")
def audit_page(request: Request, seen: Auditor, q: Filters) -> Response:
    console = console_of(request)
    found = search(console.engine, q)
    checked = console.memo.get("verification")
    more_url = None
    if found.next_before_seq:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "before_seq"]
        more_url = f"{request.url.path}?{urlencode([*params, ('before_seq', found.next_before_seq)])}"
    return render(
        request,
        "audit.html",
        q=q,
        page=found,
        verification=checked,
        checkpoint=latest_checkpoint(console.engine),
        more_url=more_url,
    )


@pages.get("/audit/history/{entity_type}/{entity_id}")
def history_page(request: Request, seen: Auditor, entity_type: EntityType, entity_id: EntityId) -> Response:
    items = history(console_of(request).engine, entity_type, entity_id)
    return render(request, "history.html", entity_type=entity_type, entity_id=entity_id, items=items)


@pages.post("/audit/verify")
def verify_now(request: Request, seen: Auditor, _: Annotated[Form, Depends(posted)]) -> Response:
    console = console_of(request)
    console.memo["verification"] = result = verify(console.engine, console.hub_settings)
    log.info("ledger verified by %s: ok=%s count=%d", seen.user.name, result.ok, result.count)
    return RedirectResponse(f"{base_path(request)}/audit", status_code=303)


@pages.get("/audit/export")
def export_page(
    request: Request,
    seen: Auditor,
    from_seq: Annotated[str, Query(pattern=r"^\d{0,18}$")] = "1",
    to_seq: Annotated[str, Query(pattern=r"^\d{0,18}$", description="empty: the head")] = "",
) -> Response:
    """The offline evidence bundle as a zip; ``python verify.py`` inside it checks everything."""
    console = console_of(request)
    first, last = int(from_seq or 1), int(to_seq) if to_seq else None
    if first < 1 or (last is not None and last < first):
        raise InputError("导出范围不正确：起始 seq 至少为 1，且不大于截止 seq")
    bundle = export_zip(console.engine, first, last, console.hub_settings)
    log.info("audit bundle seq %d..%d exported by %s", bundle.from_seq, bundle.to_seq, seen.user.name)
    return FileResponse(
        bundle.path,
        media_type="application/zip",
        filename=bundle.filename,
        background=BackgroundTask(bundle.path.unlink, missing_ok=True),
    )


@api.get("/entries", response_model=AuditPage)
def entries_api(request: Request, seen: Auditor, q: Filters) -> AuditPage:
    """Ledger entries matching every filter, newest first; page on with ``before_seq``."""
    return search(console_of(request).engine, q)


@api.get("/history/{entity_type}/{entity_id}", response_model=list[HistoryEntry])
def history_api(
    request: Request, seen: Auditor, entity_type: EntityType, entity_id: EntityId
) -> list[HistoryEntry]:
    """One record's history, newest first, with diffs; personal values masked."""
    return history(console_of(request).engine, entity_type, entity_id)


@api.get("/verification", response_model=Verification)
def verification_api(request: Request, seen: Auditor) -> Verification:
    """Verify the whole chain and its checkpoints now."""
    console = console_of(request)
    console.memo["verification"] = result = verify(console.engine, console.hub_settings)
    return result


@api.get("/checkpoint", response_model=CheckpointView | None)
def checkpoint_api(request: Request, seen: Auditor) -> CheckpointView | None:
    """The latest signed checkpoint of the chain head, if any."""
    return latest_checkpoint(console_of(request).engine)
