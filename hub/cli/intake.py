"""``synchub import leads``, ``synchub pull``, ``synchub quarantine ...``, ``synchub serve-api``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from core.errors import NotFoundError
from hub.cli.common import BEIJING, TRACE, beijing_text, console, friendly_errors, open_engine, print_probe
from hub.cli.output import JSON_OPTION, print_json, progress_bar

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
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Import a lead list; rejected rows are reported with their line numbers and reasons."""
    from connectors.excel import count_rows
    from services.intake.imports import import_leads

    engine = open_engine()  # a missing database is said before the file is read
    with progress_bar(f"importing {file.name}", count_rows(file, sheet) or None, hidden=as_json) as advance:
        report = import_leads(engine, file, source, mapping, sheet, advance)
    landing = report.landing
    if as_json:
        print_json({
            "file": report.file, "rows": report.rows, "seconds": report.seconds, "landed": landing.landed,
            "updated": landing.updated, "unchanged": landing.unchanged,
            "rejected": [{"line": line, "reason": reason} for line, reason in report.rejected],
            "rejects_file": report.rejects_file, "columns": report.columns, "unread": report.unread,
            "unknown_products": report.unknown_products,
        })  # fmt: skip
        return
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
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Quarantined records with their reasons."""
    from sqlalchemy import select

    from core.models import Source
    from services.intake.quarantine import list_quarantine
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        names: dict[int, str] = {i: n for i, n in s.execute(select(Source.id, Source.name))}
        if source is not None and source not in names.values():
            known = ", ".join(sorted(names.values())) or "none yet"
            raise NotFoundError(f"no source named {source!r}; sources: {known}")
        chosen = None if status is QuarantineStatus.all else status.value
        rows: list[dict[str, Any]] = [
            {"id": item.id, "source": names.get(item.source_id) if item.source_id else None,
             "stage": item.stage, "status": item.status, "attempts": item.attempts,
             "last_attempt_at": item.last_attempt_at, "reason": item.error}
            for item in list_quarantine(s, chosen, source)
        ]  # fmt: skip
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"quarantine ({status.value})")
    for column in ("id", "source", "stage", "attempts", f"last attempt ({BEIJING})", "reason"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]), Text(row["source"] or "-"), row["stage"], str(row["attempts"]),
            beijing_text(row["last_attempt_at"]), Text(row["reason"]),
        )  # fmt: skip
    console.print(table)


@quarantine_app.command("show")
@friendly_errors
def quarantine_show(
    record_id: Annotated[int, typer.Argument(help="Quarantine id.")],
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """One record: reason and the payload as received (phone numbers masked)."""
    from core.models import QuarantinedRecord
    from core.redact import mask_text
    from store.engine import session_scope

    with session_scope(open_engine()) as s:
        item = s.get(QuarantinedRecord, record_id)
        if item is None:
            raise NotFoundError(f"no quarantined record {record_id}")
        payload = mask_text(json.dumps(item.payload, ensure_ascii=False, indent=1))
        if as_json:
            print_json(
                {"id": item.id, "stage": item.stage, "status": item.status, "attempts": item.attempts,
                 "last_attempt_at": item.last_attempt_at, "reason": item.error,
                 "payload": json.loads(payload)}
            )  # fmt: skip
            return
        console.print(f"[bold]#{item.id}[/bold] {item.stage} ({item.status}, {item.attempts} attempts)")
        console.print(Text(f"reason: {item.error}"))
        console.print(Text(payload))


@quarantine_app.command("replay")
@friendly_errors
def quarantine_replay(
    ids: Annotated[list[int] | None, typer.Argument(help="Ids to replay (default: every open one).")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Map open records again (after a mapping fix); the ones that map leave quarantine."""
    from audit.context import audit_context
    from services.intake.quarantine import replay
    from store.engine import session_scope

    with (
        audit_context(actor="cli:quarantine-replay"),
        session_scope(open_engine()) as s,
        progress_bar("replaying quarantine", hidden=as_json) as advance,
    ):
        report = replay(s, ids or None, source, progress=advance)
    if as_json:
        failing = [{"id": i, "reason": reason} for i, reason in report.still_failing.items()]
        print_json({"replayed": report.replayed, "still_failing": failing})
        return
    console.print(f"replayed {len(report.replayed)}; still failing {len(report.still_failing)}")
    for item_id, reason in report.still_failing.items():
        console.print(Text(f"  #{item_id}: {reason}"))


@friendly_errors
def pull_command(
    source: Annotated[str, typer.Argument(help="Connector name: ocean_engine, tencent_ads, baidu.")],
    trace: Annotated[Path | None, TRACE] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
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
    if as_json:
        print_json({
            "source": report.source, "pages": report.pages, "received": r.received, "landed": r.landed,
            "updated": r.updated, "unchanged": r.unchanged, "quarantined": r.quarantined,
            "per_account": report.per_account,
        })  # fmt: skip
        return
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


@source_app.command("check")
@friendly_errors
def source_check_command(
    name: Annotated[str, typer.Argument(help="ocean_engine, tencent_ads or baidu.")],
    days: Annotated[int, typer.Option(help="How far back the probe reads.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Prove the configured credentials work: the first page of every account, one record redacted.

    Nothing is landed; exit 1 when any account fails."""
    from services.probe import probe_source

    engine = open_engine()
    try:
        print_probe(probe_source(name, engine, days=days), as_json)
    finally:
        engine.dispose()
