"""``synchub export receivables|audit|leads|quarantine --out FILE.xlsx``: the console's lists as Excel
workbooks, with the filters of their pages (``hub.web.data.exports``), streamed with a progress bar."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from core.errors import InputError
from hub.cli.common import console, friendly_errors, open_engine, split_entity
from hub.cli.output import progress_bar

if TYPE_CHECKING:
    from hub.web.data.exports import Export

__all__ = ["export_app"]

export_app = typer.Typer(
    help="Excel workbooks of the console's lists (Chinese headers, Beijing times, frozen header row).",
    no_args_is_help=True,
)
Out = Annotated[Path, typer.Option("--out", help="The .xlsx file to write (replaced if it exists).")]
Day = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]


def _write(export: Export, out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"--out wants a .xlsx file name (got {out.name!r})")
    if not out.parent.is_dir():
        raise InputError(f"--out: no folder {str(out.parent)!r}")
    with progress_bar(f"writing {out.name}") as advance:
        rows = export.write(out, advance)
    console.print(f"wrote {rows:,} rows to {escape(str(out))}", highlight=False)


@export_app.command("receivables")
@friendly_errors
def receivables(
    out: Out,
    search: Annotated[
        str | None, typer.Option("--search", "--contract", help="Contract number or customer name contains.")
    ] = None,
    overdue_only: Annotated[
        bool, typer.Option("--overdue-only", help="Only contracts with overdue installments.")
    ] = False,
    unpushed_only: Annotated[
        bool, typer.Option("--unpushed-only", help="Only contracts with installments not yet in the ERP.")
    ] = False,
    today: Day = None,
) -> None:
    """Installments with outstanding amount and aging bucket (未到期, 1-30, 31-60, 61-90, 90 天以上), then the
    outstanding per customer and per salesperson. Days overdue as in the console (Beijing calendar days)."""
    from hub.web.data.exports import receivables_export
    from hub.web.data.receivables import ReceivablesQuery

    query = ReceivablesQuery(q=search or None, overdue_only=overdue_only, unpushed_only=unpushed_only)
    _write(receivables_export(open_engine(), query, today.date() if today else None), out)


@export_app.command("audit")
@friendly_errors
def audit(
    out: Out,
    entity: Annotated[str | None, typer.Option(help="TYPE:ID, for example customer:42.")] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "--contract", help="Contract number, company name, phone or lead id."),
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who, as a prefix (user:, flow:...).")] = None,
    action: Annotated[str | None, typer.Option(help="insert, update, merge, ...")] = None,
    since: Day = None,
    until: Day = None,
    reveal: Annotated[
        bool, typer.Option(help="Show personal values unmasked (recorded in the ledger).")
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", help="Who reveals (recorded as user:NAME); needed with --reveal.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why they are revealed (the request or case).")] = None,
) -> None:
    """Ledger entries matching the Audit page's filters, newest first: who, when, what, why. Personal values
    are masked unless --reveal, which first writes a reveal event on each record shown."""
    from audit.context import audit_context
    from hub.web.data.audit import AuditQuery
    from hub.web.data.exports import audit_export

    kind, ident = split_entity(entity) if entity is not None else (None, None)
    if reveal and not (by and by.strip()):
        raise InputError("--reveal needs --by NAME: the ledger records who saw the personal values")
    query = AuditQuery(
        q=search or None, entity_type=kind, entity_id=ident, actor=actor, action=action,
        since=since.date() if since else None, until=until.date() if until else None,
    )  # fmt: skip
    who = None if by is None else (by.strip() if ":" in by else f"user:{by.strip()}")
    with audit_context(actor=who, correlation_id="cli:export-audit"):
        _write(audit_export(open_engine(), query, reveal=reveal, reason=reason), out)


@export_app.command("leads")
@friendly_errors
def leads(
    out: Out,
    days: Annotated[
        int, typer.Option(min=0, max=3650, help="Leads created in this many days (0: all time).")
    ] = 90,
    source: Annotated[str | None, typer.Option(help="Only this source (its name).")] = None,
    status: Annotated[
        str | None, typer.Option("--status", "--stage", help="Only this stage (new, assigned, ...).")
    ] = None,
) -> None:
    """Leads with stage, funnel step, team, owner and SLA clock, as the Leads page counts them."""
    from hub.web.data.exports import LeadsQuery, leads_export

    query = LeadsQuery(days=days or None, source=source, stage=status)
    _write(leads_export(open_engine(), query), out)


@export_app.command("quarantine")
@friendly_errors
def quarantine(
    out: Out,
    source: Annotated[str | None, typer.Option(help="Only this source (its name).")] = None,
    status: Annotated[str, typer.Option(help="open, replayed, superseded, discarded or all.")] = "open",
) -> None:
    """Quarantined records with their reasons (phones masked, no payloads), oldest first."""
    from hub.web.data.exports import QuarantineQuery, quarantine_export

    query = QuarantineQuery(source=source, status=None if status == "all" else status)
    _write(quarantine_export(open_engine(), query), out)
