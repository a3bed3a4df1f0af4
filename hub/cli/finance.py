"""``synchub contract ...`` (intake, push, reconcile, alerts, ERP customers) and
``synchub outbox list|retry|cancel``. The hub registers ``contract_app`` and ``outbox_app``."""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

import core.models.finance_ext  # noqa: F401  (the finance tables, before any engine is made)
from core.errors import InputError
from hub.cli.common import BEIJING, TRACE, beijing_text, console, friendly_errors, open_engine, print_probe
from hub.cli.output import JSON_OPTION, print_json, progress_bar, utc_iso
from mapping.timestamps import china_today

__all__ = ["contract_app", "outbox_app"]

contract_app = typer.Typer(
    help="Signed contracts, their receivables in the ERP, payments and alerts.", no_args_is_help=True
)
erp_app = typer.Typer(help="The ERPs receivables go to.", no_args_is_help=True)
outbox_app = typer.Typer(
    help="Side effects owed to the ERPs (the outbox): inspect, retry, cancel.", no_args_is_help=True
)
Ids = Annotated[list[int] | None, typer.Argument(help="Message ids.")]
TODAY = typer.Option(formats=["%Y-%m-%d"], help="Business date YYYY-MM-DD (default: today in Beijing).")


class OutboxStatus(StrEnum):
    """What ``outbox list --status`` accepts (``services.finance.outbox``'s message states)."""

    pending = "pending"
    in_flight = "in_flight"
    done = "done"
    dead = "dead"
    cancelled = "cancelled"


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contract_app.command("import")
@friendly_errors
def import_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help=".xlsx or .csv, one contract a row.")
    ],
    sheet: Annotated[str | None, typer.Option(help="Worksheet (default: the first).")] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Import signed contracts; bad rows are listed with their line numbers and reasons (exit 1)."""
    from connectors.excel import count_rows
    from services.finance.excel import import_contracts

    engine = open_engine()  # a missing database is said before the file is read
    with progress_bar(f"importing {file.name}", count_rows(file, sheet) or None, hidden=as_json) as advance:
        report = import_contracts(engine, file, sheet, progress=advance)
    if as_json:
        rejected = [{"line": line, "reason": reason} for line, reason in report.rejected]
        print_json({"rows": report.rows, "created": report.created, "unchanged": report.unchanged,
                    "rejected": rejected})  # fmt: skip
        raise typer.Exit(1 if report.rejected else 0)
    console.print(
        f"{report.rows} rows: {len(report.created)} contracts created, {len(report.unchanged)} "
        f"unchanged, {len(report.rejected)} rejected"
    )
    if report.rejected:
        table = Table(title="rejected rows")
        table.add_column("line", justify="right")
        table.add_column("reason")
        for line, reason in report.rejected:
            table.add_row(str(line), Text(reason))
        console.print(table)
        raise typer.Exit(1)


@contract_app.command("sign")
@friendly_errors
def sign_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="The contract as JSON (API shape).")
    ],
    actor: Annotated[str, typer.Option(help="Who signs it in, for the ledger.")] = "user:cli",
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Record one signed contract from a JSON file (the same shape as the intake API)."""
    from services.finance.intake import sign_contract

    engine = open_engine()  # a missing database is said before the file is read
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{file.name}: not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{file.name}: the contract must be a JSON object")
    result = sign_contract(engine, data, actor=actor, source="cli")
    if as_json:
        print_json(result)
        return
    console.print(
        f"contract {result.number}: {result.status}, {len(result.installments)} installment(s) "
        f"for {result.erp}"
    )


@contract_app.command("push")
@friendly_errors
def push_command(
    until_idle: Annotated[bool, typer.Option(help="Keep claiming until nothing is due.")] = True,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Bills pushed in parallel.")] = 4,
    trace: Annotated[Path | None, TRACE] = None,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Push due receivables to the ERPs (the outbox), exactly once per installment."""
    from connectors.trace import tracing
    from services.finance.gateways import build_gateways, close_all
    from services.finance.push import PushReport, push_once

    engine, gateways, total = open_engine(), build_gateways(), PushReport()
    try:
        with tracing(trace):
            while True:
                report = push_once(engine, gateways, worker=_worker(), concurrency=concurrency)
                total.merge(report)
                if not until_idle or report.claimed == 0:
                    break
    finally:
        close_all(gateways)
    if as_json:
        print_json(total)
        return
    console.print(
        f"claimed {total.claimed}: " + ", ".join(f"{k} {v}" for k, v in sorted(total.outcomes.items()))
    )


@contract_app.command("reconcile")
@friendly_errors
def reconcile_command(
    today: Annotated[datetime | None, TODAY] = None, as_json: Annotated[bool, JSON_OPTION] = False
) -> None:
    """Pull payments, write-offs and invoices back; update installments and overdue status."""
    from services.finance.gateways import build_gateways, close_all
    from services.finance.reconcile import reconcile

    day = today.date() if today else china_today()
    engine, gateways, done = open_engine(), build_gateways(), {}
    try:
        for name, gateway in gateways.items():
            done[name] = r = reconcile(engine, gateway, day)
            if not as_json:
                console.print(
                    f"{name}: {r.settlements} settlements, {r.invoices} invoices, {r.status_changes} changes"
                )
    finally:
        close_all(gateways)
    if as_json:
        print_json({"today": day, "erps": done})


@contract_app.command("alerts")
@friendly_errors
def alerts_command(
    today: Annotated[datetime | None, TODAY] = None, as_json: Annotated[bool, JSON_OPTION] = False
) -> None:
    """Raise not-invoiced and overdue alerts (once per event) and send the pending ones to the owner
    and finance through the robot channel of SYNCHUB_FINANCE_ALERT_CHANNEL (logged while it has none)."""
    from services.finance.notify import deliver_alerts
    from services.notify import default_senders

    day = today.date() if today else china_today()
    senders = default_senders()
    try:
        done = deliver_alerts(open_engine(), day, senders)
    finally:
        senders.close()
    r = done.as_dict()
    if as_json:
        print_json({"today": day, **r})
        return
    console.print(
        f"{r['raised']} new alert(s), {r['sent']} handed over, {r['failed']} failed; "
        + (f"{r['messages_sent']} {done.channel} message(s) sent, {r['messages_waiting']} waiting, "
           f"{r['messages_failed']} failed" if done.messages else "only logged: no robot configured")
    )  # fmt: skip


@contract_app.command("pull-customers")
@friendly_errors
def pull_customers_command(as_json: Annotated[bool, JSON_OPTION] = False) -> None:
    """Pull new and changed ERP customers into the hub (for dedupe and linking)."""
    from services.finance.customers import pull_customers
    from services.finance.gateways import build_gateways, close_all

    engine, gateways, pulled = open_engine(), build_gateways(), {}
    try:
        for name, gateway in gateways.items():
            pulled[name] = pull_customers(engine, gateway)
            if not as_json:
                console.print(f"{name}: {pulled[name]} customer(s) pulled")
    finally:
        close_all(gateways)
    if as_json:
        print_json({"customers_pulled": pulled})


@outbox_app.command("list")
@friendly_errors
def list_command(
    status: Annotated[OutboxStatus | None, typer.Option(help="Only messages in this state.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many.")] = 50,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Outbox messages with their attempts and last error (dead letters: --status dead)."""
    from services.finance.outbox import list_messages

    rows = list_messages(open_engine(), status.value if status else None, limit)
    if as_json:  # the service writes the store's naive UTC time as text: say it is UTC
        print_json(
            [{**r, "next_attempt_at": utc_iso(datetime.fromisoformat(r["next_attempt_at"]))} for r in rows]
        )
        return
    table = Table(title=f"outbox ({status.value if status else 'all'})")
    for column in ("id", "business_key", "status", "attempts", f"next attempt ({BEIJING})", "last_error"):
        table.add_column(column)
    for row in rows:
        cells = {**row, "next_attempt_at": beijing_text(row["next_attempt_at"], with_seconds=True)}
        table.add_row(*(Text(str(cells[c] if cells[c] is not None else "")) for c in row))
    console.print(table)


@outbox_app.command("retry")
@friendly_errors
def retry_command(
    ids: Ids = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Every dead letter.")] = False,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Put dead (or cancelled) messages back; the push reads the ERP back before sending anything."""
    from services.finance.outbox import retry_messages

    if not ids and not all_dead:
        raise InputError("name message ids, or pass --all-dead")
    done = retry_messages(open_engine(), ids or [], all_dead=all_dead)
    if as_json:
        print_json({"queued_again": done})
        return
    console.print(f"{len(done)} message(s) queued again: {', '.join(map(str, done)) or '-'}")


@outbox_app.command("cancel")
@friendly_errors
def cancel_command(
    ids: Annotated[list[int], typer.Argument(help="Message ids.")],
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Cancel pending or dead messages: nothing will be pushed for them."""
    from services.finance.outbox import cancel_messages

    done = cancel_messages(open_engine(), ids)
    if as_json:
        print_json({"cancelled": done})
        return
    console.print(f"{len(done)} message(s) cancelled: {', '.join(map(str, done))}")


@erp_app.command("check")
@friendly_errors
def erp_check_command(
    system: Annotated[str, typer.Argument(help="kingdee or yonyou.")],
    days: Annotated[int, typer.Option(help="How far back the customers feed is read.")] = 30,
    as_json: Annotated[bool, JSON_OPTION] = False,
) -> None:
    """Prove the configured ERP credentials work: log in and read one page of customers (redacted).

    Nothing is written to the ERP or the hub; exit 1 on failure."""
    from services.probe import probe_erp

    print_probe(probe_erp(system, days=days), as_json)
