"""What every ``synchub`` command module shares: the consoles and the one-line error wrapper.

Kept apart from ``hub.cli.main`` so that command modules never import the module that registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from core.errors import SyncHubError

__all__ = ["TRACE", "console", "err_console", "friendly_errors", "print_probe"]

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
TRACE = typer.Option(
    help="Write this run's HTTP exchanges, secrets and phones masked, to FILE (JSON lines), for a vendor."
)
err_console = Console(stderr=True, soft_wrap=True)


def friendly_errors(func: F) -> F:
    """Print a SyncHubError as ``error: ...`` and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SyncHubError as exc:
            err_console.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def print_probe(probe: Any, as_json: bool) -> None:
    """Print a day-one probe (``services.probe``) and exit 2 when it failed. Vendor text is printed as
    data, never as markup."""
    import dataclasses
    import json

    from rich.markup import escape

    if as_json:
        console.print_json(json.dumps({**dataclasses.asdict(probe), "ok": probe.ok}, ensure_ascii=False))
    else:
        console.print(escape(f"{probe.target} at {probe.base_url or '(no base URL)'}"), highlight=False)
        if probe.error:
            console.print(f"  [red]cannot try:[/red] {escape(probe.error)}", highlight=False)
        for line in probe.lines:
            if not line.ok:
                console.print(f"  [red]failed[/red] {escape(f'{line.name}: {line.error}')}", highlight=False)
                continue
            said = f"{line.name}: {line.records} record(s) on the first page"
            console.print(f"  [green]ok[/green] {escape(said)}", highlight=False)
            if line.sample is not None:
                sample = json.dumps(line.sample, ensure_ascii=False)[:400]
                console.print(f"     first: {sample}", highlight=False, markup=False)
        console.print("[green]answers[/green]" if probe.ok else "[red]does not answer as configured[/red]")
    if not probe.ok:
        sys.exit(2)
