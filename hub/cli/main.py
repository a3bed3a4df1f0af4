"""The ``synchub`` command line. Each command group lives in its own module; this one wires them and
turns every deliberate error into one readable line (never a stack trace) and a non-zero exit."""

from __future__ import annotations

from typing import Annotated

import typer

from hub.cli.common import console, friendly_errors
from hub.cli.logs import LogFormat, LogLevel, configure_logging, reset_logging
from hub.cli.output import EXIT_CODES

app = typer.Typer(
    help="SyncHub: leads-to-cash integration hub.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The hub's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"synchub {version('synchub')}")
        except PackageNotFoundError:  # run from a checkout that was never installed
            typer.echo("synchub (not installed)")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    log_level: Annotated[
        LogLevel | None, typer.Option(case_sensitive=False, help="Log from this level on (default WARNING).")
    ] = None,
    log_format: Annotated[
        LogFormat, typer.Option(help="text, or json: one object a line (time, level, logger, message).")
    ] = LogFormat.text,
    _: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """SyncHub: leads-to-cash integration hub. Logs go to stderr, masked; results and --json to stdout."""
    configure_logging(log_level, log_format)
    ctx.call_on_close(reset_logging)


@db_app.command("upgrade")
@friendly_errors
def db_upgrade(revision: str = typer.Argument("heads", help="Alembic revision to upgrade to.")) -> None:
    """Create or migrate the schema (SQLite by default, or SYNCHUB_DATABASE_URL)."""
    from store.engine import make_engine
    from store.migrate import current_revision, upgrade

    engine = make_engine()
    upgrade(engine, revision)
    console.print(f"database at revision {current_revision(engine)} ({engine.url.render_as_string()})")


def _register() -> None:
    from hub.cli import audit as cli_audit
    from hub.cli import config as cli_config
    from hub.cli import dedupe as cli_dedupe
    from hub.cli import export as cli_export
    from hub.cli import finance as cli_finance
    from hub.cli import flows as cli_flows
    from hub.cli import intake as cli_intake
    from hub.cli import people as cli_people
    from hub.cli import receivables as cli_receivables
    from hub.cli import route as cli_route
    from hub.cli import status as cli_status
    from hub.cli import web as cli_web
    from hub.demo import run as demo

    app.add_typer(cli_audit.audit_app, name="audit")
    app.add_typer(cli_export.export_app, name="export")
    app.add_typer(cli_intake.import_app, name="import")
    app.add_typer(cli_intake.quarantine_app, name="quarantine")
    app.add_typer(cli_intake.tokens_app, name="tokens")
    app.add_typer(cli_intake.source_app, name="source")
    app.add_typer(cli_finance.erp_app, name="erp")
    app.add_typer(cli_route.route_app, name="route")
    app.add_typer(cli_people.people_app, name="people")
    app.add_typer(cli_dedupe.dedupe_app, name="dedupe")
    app.add_typer(cli_finance.contract_app, name="contract")
    cli_finance.contract_app.command("receivables")(cli_receivables.receivables_command)
    app.add_typer(cli_finance.outbox_app, name="outbox")
    app.add_typer(cli_web.users_app, name="users")
    app.add_typer(cli_web.tokens_app, name="api-tokens")
    app.command("web")(cli_web.web_command)
    app.command("pull")(cli_intake.pull_command)
    app.command("serve-api")(cli_intake.serve_api_command)
    app.command("serve")(cli_flows.serve_command)
    app.add_typer(cli_flows.flows_app, name="flows")
    app.add_typer(cli_config.config_app, name="config")
    app.command("status")(cli_status.status_command)
    app.command("demo")(friendly_errors(demo.demo_command))
    try:
        from connectors.sandbox.cli import sandbox_app
    except ImportError:  # the simulators are optional in a slim install
        return
    app.add_typer(sandbox_app, name="sandbox")


_register()
