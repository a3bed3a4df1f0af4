"""``synchub import leads``, ``synchub pull``, ``synchub quarantine ...``, ``synchub serve-api``."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from core.errors import NotFoundError
from hub.cli.common import BEIJING, TRACE, beijing_text, console, friendly_errors, open_engine, print_probe

import_app = typer.Typer(help="Import records from files.", no_args_is_help=True)
quarantine_app = typer.Typer(help="Records that could not be mapped.", no_args_is_help=True)
source_app = typer.Typer(help="The ad-platform sources.", no_args_is_help=True)
tokens_app = typer.Typer(help="The ad platforms' OAuth tokens, encrypted in the store.", no_args_is_help=True)


@tokens_app.command("keygen")
@friendly_errors
def tokens_keygen(path: Annotated[Path | None, typer.Option(help="Where to write the key.")] = None) -> None:
    """Create the key that encrypts stored OAuth tokens (mode 0600); give every worker the same one."""
    from core.settings import get_settings
    from services.intake.tokens import generate_token_key_file

    target = path or get_settings().token_key_file
    generate_token_key_file(target)
    console.print(f"wrote {target}")


@import_app.command("leads")
@friendly_errors
def import_leads_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv (UTF-8, GBK).")],
    source: Annotated[str, typer.Option(help="Source name, e.g. expo-2026-shanghai.")],
    mapping: Annotated[Path | None, typer.Option(help="TOML field map laid over the packaged one.")] = None,
    sheet: Annotated[str | None, typer.Option(help="Worksheet (default: the first).")] = None,
) -> None:
    """Import a lead list; rejected rows are reported with their line numbers and reasons."""
    from connectors.excel import count_rows
    from services.intake.imports import import_leads

    engine = open_engine()  # a missing database is said before the file is read
    total = count_rows(file, sheet)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(f"importing {file.name}", total=total or None)
        report = import_leads(engine, file, source, mapping, sheet, lambda n: bar.update(task, completed=n))
    landing = report.landing
    console.print(
        f"{report.rows} rows in {report.seconds:.1f} s: {landing.landed} landed, {landing.updated} updated, "
        f"{landing.unchanged} unchanged, {len(report.rejected)} rejected"
    )
    for summary in report.summary_lines():  # columns used and not, values kept in the remark
        console.print(Text(summary), soft_wrap=True)
    if report.rejected:
        table = Table(title=f"rejected rows (also in {report.rejects_file})")
        table.add_column("line", justify="right")
        table.add_column("reason")
        for line, reason in report.rejected[:50]:
            table.add_row(str(line), Text(reason))
        console.print(table)
        if len(report.rejected) > 50:
            console.print(f"... and {len(report.rejected) - 50} more in {report.rejects_file}")


class QuarantineStatus(StrEnum):
    """What ``quarantine list --status`` accepts (``QuarantinedRecord.status``, or all)."""

    open = "open"
    replayed = "replayed"
    discarded = "discarded"
    all = "all"


@quarantine_app.command("list")
@friendly_errors
def quarantine_list(
    source: Annotated[str | None, typer.Option(help="Only this source (its name, as listed).")] = None,
    status: Annotated[QuarantineStatus, typer.Option(help="Which records.")] = QuarantineStatus.open,
) -> None:
    """Quarantined records with their reasons."""
    from sqlalchemy import select

    from core.models import Source
    from services.intake.quarantine import list_quarantine
    from store.engine import session_scope

    table = Table(title=f"quarantine ({status.value})")
    for column in ("id", "source", "stage", "attempts", f"last attempt ({BEIJING})", "reason"):
        table.add_column(column)
    with session_scope(open_engine()) as s:
        names: dict[int, str] = {i: n for i, n in s.execute(select(Source.id, Source.name))}
        if source is not None and source not in names.values():
            known = ", ".join(sorted(names.values())) or "none yet"
            raise NotFoundError(f"no source named {source!r}; sources: {known}")
        chosen = None if status is QuarantineStatus.all else status.value
        for item in list_quarantine(s, chosen, source):
            table.add_row(
                str(item.id), Text(names.get(item.source_id, "-") if item.source_id else "-"), item.stage,
                str(item.attempts), beijing_text(item.last_attempt_at), Text(item.error),
            )  # fmt: skip
    console.print(table)


@quarantine_app.command("show")
@friendly_errors
def quarantine_show(record_id: Annotated[int, typer.Argument(help="Quarantine id.")]) -> None:
    """One record: reason and the payload as received (phone numbers masked)."""
    from core.models import QuarantinedRecord
    from core.redact import mask_text
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        item = s.get(QuarantinedRecord, record_id)
        if item is None:
            raise NotFoundError(f"no quarantined record {record_id}")
        console.print(f"[bold]#{item.id}[/bold] {item.stage} ({item.status}, {item.attempts} attempts)")
        console.print(Text(f"reason: {item.error}"))
        console.print(Text(mask_text(json.dumps(item.payload, ensure_ascii=False, indent=1))))


@quarantine_app.command("replay")
@friendly_errors
def quarantine_replay(
    ids: Annotated[list[int] | None, typer.Argument(help="Ids to replay (default: every open one).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
) -> None:
    """Map open records again (after a mapping fix); the ones that map leave quarantine."""
    from audit.context import audit_context
    from services.intake.quarantine import replay
    from store.engine import session_scope

    with audit_context(actor="cli:quarantine-replay"), session_scope(open_engine()) as s:
        report = replay(s, ids or None, source)
    console.print(f"replayed {len(report.replayed)}; still failing {len(report.still_failing)}")
    for item_id, reason in report.still_failing.items():
        console.print(Text(f"  #{item_id}: {reason}"))


@friendly_errors
def pull_command(
    source: Annotated[str, typer.Argument(help="Connector name: ocean_engine, tencent_ads, baidu.")],
    trace: Annotated[Path | None, TRACE] = None,
) -> None:
    """Pull new and changed leads from an ad platform (incremental, resumable)."""
    from connectors.registry import get_source_connector
    from connectors.trace import tracing
    from services.intake.pull import pull_source
    from services.intake.tokens import DatabaseTokenStore

    engine = open_engine()
    connector = get_source_connector(source, token_store=DatabaseTokenStore(engine))
    with tracing(trace):
        report = pull_source(engine, connector)
    r = report.landing
    console.print(
        f"{report.source}: {report.pages} pages, {r.received} records: {r.landed} landed, {r.updated} "
        f"updated, {r.unchanged} unchanged, {r.quarantined} quarantined"
    )


@friendly_errors
def serve_api_command(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8700,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (one core each; 2 on a 2-core machine).")
    ] = 1,
) -> None:
    """Serve the HTTP API (web-form webhook) with uvicorn, in one or several worker processes."""
    import uvicorn

    from hub.web.settings import WebSettings

    open_engine().dispose()  # a bad database URL fails here, in plain words, before any worker starts
    uvicorn.run(
        "hub.api.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        # X-Forwarded-* believed only from SYNCHUB_WEB_TRUSTED_PROXIES ([]: from nobody)
        proxy_headers=bool(WebSettings().trusted_proxies),
        forwarded_allow_ips=",".join(WebSettings().trusted_proxies) or None,
    )


@friendly_errors
def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Sources and their freshness, cursors, backlogs (quarantine, geocoding, routing, outbox and its
    dead letters) and the last flow runs."""
    from services.status import gather_status

    status = gather_status(open_engine(), runs=True)
    backlogs = status.backlogs()
    if as_json:
        stale = {s.name for s in status.stale()}
        document = {
            "sources": [
                {"name": s.name, "kind": s.kind, "leads": s.leads, "quarantined": s.quarantined_open,
                 "last_delivery_at": s.last_delivery_at.isoformat() if s.last_delivery_at else None,
                 "stale": s.name in stale}
                for s in status.sources
            ],
            "cursors": [
                {"connector": c, "stream": st, "account": a, "value": v, "updated_at": u.isoformat()}
                for c, st, a, v, u in status.cursors
            ],
            "outbox": status.outbox,
            "quarantine_open": status.quarantine_open,
            "backlogs": backlogs,
            "duplicate_followup": status.duplicate_followup.as_dict() if status.duplicate_followup else None,
            "last_runs": [
                {"flow": r.flow, "run": r.run, "run_id": r.run_id, "last_at": r.last_at.isoformat(),
                 "entries": r.entries}
                for r in status.runs
            ],
        }  # fmt: skip
        console.print_json(json.dumps(document))
        return
    sources = Table(title="sources")
    for column in ("source", "kind", "leads", "quarantined", f"last new delivery ({BEIJING})", "fresh?"):
        sources.add_column(column)
    for s in status.sources:
        when = _when(s.last_delivery_at) if s.last_delivery_at else "never"
        fresh = "[red]STALE[/red]" if s.is_stale(status.at) else "ok"
        sources.add_row(Text(s.name), s.kind, str(s.leads), str(s.quarantined_open), when, fresh)
    console.print(sources)
    cursors = Table(title="cursors")
    for column in ("connector", "stream", "account", "position", f"moved ({BEIJING})"):
        cursors.add_column(column)
    for connector, stream, account, value, moved in status.cursors:
        cursors.add_row(connector, stream, account, value or "-", _when(moved))
    console.print(cursors)
    runs = Table(title=f"last flow runs that changed something ({len(status.runs)})")
    for column in ("flow", "run", f"last write ({BEIJING})", "ledger entries"):
        runs.add_column(column)
    for r in status.runs:
        runs.add_row(Text(r.flow), Text(r.run), _when(r.last_at), str(r.entries))
    console.print(runs)
    dead = status.outbox.get("dead", 0)
    if status.duplicate_followup is not None:
        dup = status.duplicate_followup
        console.print(
            f"duplicate follow-up (30 days): {dup.rate:.1%} of {dup.customers} customers have leads "
            f"with two or more people" + (f": customers {dup.duplicated[:20]}" if dup.duplicated else "")
        )
    console.print(
        "backlogs: " + ", ".join(f"{k} {v}" for k, v in backlogs.items())
        + (f"  [red]{dead} dead letter(s): synchub outbox list --status dead[/red]" if dead else "")
    )  # fmt: skip


def _when(moment: datetime) -> str:
    return beijing_text(moment, with_seconds=True)


@source_app.command("check")
@friendly_errors
def source_check_command(
    name: Annotated[str, typer.Argument(help="ocean_engine, tencent_ads or baidu.")],
    days: Annotated[int, typer.Option(help="How far back the probe reads.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Prove the configured credentials work: the first page of every account, one record redacted.

    Nothing is landed; exit 2 when any account fails."""
    from services.probe import probe_source

    engine = open_engine()
    try:
        print_probe(probe_source(name, engine, days=days), as_json)
    finally:
        engine.dispose()
