"""``synchub status [--json] [--check]``: the ops view of :func:`services.status.gather_status`.

``--check`` makes it a probe for cron and monitoring: exit 1 with one line per problem (a stale source,
dead letters in the outbox, a backlog past ``--max-backlog``, an audit ledger that does not verify),
exit 0 and ``ok`` when healthy.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from hub.cli.common import BEIJING, beijing_text, console, friendly_errors, open_engine
from hub.cli.output import EXIT_FOUND_WRONG, JSON_OPTION, print_json

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from services.status import HubStatus

__all__ = ["health_problems", "status_command"]

MAX_BACKLOG = 1000


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def health_problems(status: HubStatus, max_backlog: int, engine: Engine | None = None) -> list[str]:
    """Why the hub is not healthy, one line each; empty when it is. With ``engine``, the audit ledger is
    verified too (the whole chain, its checkpoints and stored personal values: ``synchub audit verify``)."""
    problems = []
    for source in status.stale():
        silent = source.silent_for(status.at)
        expected = timedelta(seconds=source.expected_interval_s or 0)
        said = "never delivered" if silent is None else f"nothing new for {_age(silent)}"
        problems.append(f"source {source.name} is stale: {said} (expected every {_age(expected)})")
    dead = status.outbox.get("dead", 0)
    if dead:
        problems.append(f"{dead} dead letter(s) in the outbox: synchub outbox list --status dead")
    for kind, waiting in status.backlogs().items():
        if kind != "outbox_dead" and waiting > max_backlog:
            problems.append(f"backlog {kind} is {waiting}, over --max-backlog {max_backlog}")
    if engine is not None:
        from audit.verify import verify_ledger

        ledger = verify_ledger(engine)
        if not ledger.ok:
            problems.append(f"audit ledger not intact after {ledger.count} good entries: {ledger.problem}")
    return problems


def _document(status: HubStatus) -> dict[str, Any]:
    stale = {s.name for s in status.stale()}
    return {
        "at": status.at,
        "sources": [
            {"name": s.name, "kind": s.kind, "leads": s.leads, "quarantined": s.quarantined_open,
             "last_delivery_at": s.last_delivery_at, "stale": s.name in stale}
            for s in status.sources
        ],
        "cursors": [
            {"connector": c, "stream": st, "account": a, "value": v, "updated_at": u}
            for c, st, a, v, u in status.cursors
        ],
        "outbox": status.outbox,
        "quarantine_open": status.quarantine_open,
        "backlogs": status.backlogs(),
        "duplicate_followup": status.duplicate_followup.as_dict() if status.duplicate_followup else None,
        "last_runs": [
            {"flow": r.flow, "run": r.run, "run_id": r.run_id, "last_at": r.last_at, "entries": r.entries}
            for r in status.runs
        ],
    }  # fmt: skip


@friendly_errors
def status_command(
    as_json: Annotated[bool, JSON_OPTION] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Only judge: exit 1 naming each stale source, dead letter, backlog past --max-backlog or "
            "break in the audit ledger; print ok and exit 0 when healthy.",
        ),
    ] = False,
    max_backlog: Annotated[
        int, typer.Option(min=0, help="With --check: most work of one kind allowed to wait.")
    ] = MAX_BACKLOG,
) -> None:
    """Sources and their freshness, cursors, backlogs (quarantine, geocoding, routing, outbox and its
    dead letters) and the last flow runs."""
    from services.status import gather_status

    engine = open_engine()
    if check:
        problems = health_problems(gather_status(engine), max_backlog, engine)
        if as_json:
            print_json({"ok": not problems, "problems": problems})
        else:
            for line in problems or ["ok"]:
                console.print(Text(line), soft_wrap=True)
        if problems:
            raise typer.Exit(EXIT_FOUND_WRONG)
        return
    status = gather_status(engine, runs=True)
    if as_json:
        print_json(_document(status))
        return
    _print_tables(status)


def _print_tables(status: HubStatus) -> None:
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
        "backlogs: " + ", ".join(f"{k} {v}" for k, v in status.backlogs().items())
        + (f"  [red]{dead} dead letter(s): synchub outbox list --status dead[/red]" if dead else "")
    )  # fmt: skip


def _when(moment: datetime) -> str:
    return beijing_text(moment, with_seconds=True)
