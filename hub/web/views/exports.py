"""Excel downloads of the console's lists: ``/exports/{receivables,audit,leads,quarantine}.xlsx``.

Each takes its page's query parameters (the pages' own dependencies, so the filters cannot drift) and
its page's roles; the page's ``limit``/``offset`` are ignored, an export holds every row the filters
select. The workbook is streamed to a temporary file, sent, and deleted."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from hub.web.context import Viewer, console_of, require
from hub.web.data.audit import AuditQuery
from hub.web.data.exports import (
    Export,
    LeadsQuery,
    QuarantineQuery,
    audit_export,
    leads_export,
    quarantine_export,
    receivables_export,
)
from hub.web.data.exports.quarantine import STATUSES
from hub.web.data.receivables import ReceivablesQuery
from hub.web.forms import Form, posted
from hub.web.views.audit import audit_query
from hub.web.views.leads import Days
from hub.web.views.receivables import TEXT, receivables_query

__all__ = ["XLSX", "pages"]

log = logging.getLogger("synchub.web")
pages = APIRouter(prefix="/exports", include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Finance = Annotated[Viewer, Depends(require("finance"))]
Auditor = Annotated[Viewer, Depends(require("auditor"))]
Reader = Annotated[Viewer, Depends(require("ops", "sales_manager"))]
Name = Annotated[str, Query(max_length=100, pattern=TEXT)]


def _send(export: Export, seen: Viewer, what: str) -> FileResponse:
    fd, name = tempfile.mkstemp(prefix="synchub-export-", suffix=".xlsx")
    os.close(fd)
    path = Path(name)
    try:
        rows = export.write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    log.info("%s export of %d rows by %s", what, rows, seen.user.name)
    return FileResponse(
        path,
        media_type=XLSX,
        filename=export.filename,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@pages.get("/receivables.xlsx")
def receivables_xlsx(
    request: Request, seen: Finance, query: Annotated[ReceivablesQuery, Depends(receivables_query)]
) -> FileResponse:
    """The receivables page's contracts as an aging workbook with totals per customer and salesperson."""
    return _send(receivables_export(console_of(request).engine, query), seen, "receivables")


@pages.get("/audit.xlsx")
def audit_xlsx(
    request: Request, seen: Auditor, query: Annotated[AuditQuery, Depends(audit_query)]
) -> FileResponse:
    """The audit search's entries, personal values masked."""
    return _send(audit_export(console_of(request).engine, query), seen, "audit")


@pages.post("/audit.xlsx")
def audit_xlsx_revealed(
    request: Request,
    seen: Auditor,
    query: Annotated[AuditQuery, Depends(audit_query)],
    form: Annotated[Form, Depends(posted)],
) -> FileResponse:
    """The same entries with personal values shown: a posted form (its CSRF token checked, so no other
    site can make an auditor's browser reveal anything), each record's reveal first in the ledger with
    the auditor and the reason."""
    reason = form.note("reason") or "revealed in an Excel export"
    export = audit_export(console_of(request).engine, query, reveal=True, reason=reason)
    with seen.acting(reason):
        return _send(export, seen, "audit (personal values revealed)")


@pages.get("/leads.xlsx")
def leads_xlsx(
    request: Request,
    seen: Reader,
    days: Days = 90,
    source: Name = "",
    stage: Annotated[str, Query(max_length=20, pattern=r"^[a-z_]*$")] = "",
) -> FileResponse:
    """The Leads page's period as a sheet of leads with stage, owner and SLA."""
    query = LeadsQuery(days=days or None, source=source.strip() or None, stage=stage or None)
    return _send(leads_export(console_of(request).engine, query), seen, "leads")


@pages.get("/quarantine.xlsx")
def quarantine_xlsx(
    request: Request,
    seen: Reader,
    source: Name = "",
    status: Annotated[str, Query(pattern=rf"^({'|'.join(STATUSES)}|all)$")] = "open",
) -> FileResponse:
    """Quarantined records with their reasons (open ones, as on the Leads page, unless ``status``)."""
    query = QuarantineQuery(source=source.strip() or None, status=None if status == "all" else status)
    return _send(quarantine_export(console_of(request).engine, query), seen, "quarantine")
