"""``synchub serve`` (the scheduled flows on one machine, with a Prefect server of its own when none is
configured) and ``synchub flows prefect-yaml`` (the deployments for workers, from the same schedules)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from core.errors import ConfigError
from hub.cli.common import console, friendly_errors, open_engine

flows_app = typer.Typer(help="The scheduled flows and their deployments.", no_args_is_help=True)

SCHEDULES = typer.Option(help="Schedules TOML (default: the packaged flows/schedules.toml).")


@friendly_errors
def serve_command(
    config: Annotated[Path | None, SCHEDULES] = None,
    limit: Annotated[int, typer.Option(help="Flow runs at once in this process.")] = 4,
    port: Annotated[
        int | None, typer.Option(help="Port of the Prefect server serve starts (default 4200, else free).")
    ] = None,
) -> None:
    """Run every scheduled flow on this machine until stopped (Ctrl-C or SIGTERM).

    With PREFECT_API_URL set, deployments go to that server. Without it, serve starts a Prefect server of
    its own (database under ./var/prefect or PREFECT_HOME), prints its address, and stops it on exit."""
    from core.settings import get_settings
    from flows.registry import load_jobs, serve_jobs
    from flows.server import prefect_server

    jobs = load_jobs(config)
    open_engine().dispose()  # a missing or unmigrated database fails here, in one line, before any flow
    with prefect_server(get_settings().var_dir, port=port) as server:
        how = "started here" if server.started else "already running"
        console.print(f"Prefect server ({how}): {server.ui_url}")
        os.environ["PREFECT_API_URL"] = server.api_url  # for this process and every run it starts
        os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "synchub")
        from prefect.settings import PREFECT_API_URL, temporary_settings

        console.print(f"serving {len(jobs)} deployments: {', '.join(j.name for j in jobs)}")
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            serve_jobs(jobs, limit)
    console.print("stopped")


@flows_app.command("prefect-yaml")
@friendly_errors
def prefect_yaml_command(
    config: Annotated[Path | None, SCHEDULES] = None,
    out: Annotated[Path, typer.Option(help="Where to write it.")] = Path("prefect.yaml"),
    check: Annotated[bool, typer.Option(help="Only compare; exit 1 when the file differs.")] = False,
) -> None:
    """Write prefect.yaml (deployments for process workers) from the schedules."""
    from flows.prefect_yaml import prefect_yaml_text
    from flows.registry import load_jobs

    text = prefect_yaml_text(load_jobs(config))
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            raise ConfigError(f"{out} differs from the schedules: run `synchub flows prefect-yaml`")
        console.print(f"{out} matches the schedules")
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}")
