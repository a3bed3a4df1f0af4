"""What every ``synchub`` command module shares: the consoles, the store (:func:`open_engine`) and the
one-line error wrapper.

Kept apart from ``hub.cli.main`` so that command modules never import the module that registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from pydantic_settings import BaseSettings
from rich.console import Console
from rich.markup import escape

from core.errors import InputError, SyncHubError
from hub.cli.database import database_error_line, open_engine
from hub.cli.output import EXIT_FOUND_WRONG, print_json
from hub.web.clock import beijing_text

__all__ = [
    "BEIJING",
    "TRACE",
    "beijing_text",
    "console",
    "err_console",
    "friendly_errors",
    "open_engine",
    "print_probe",
    "settings_error_line",
    "split_entity",
]

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
BEIJING = "Beijing time"  # the label of every time column: times are stored in UTC, shown in Beijing time
TRACE = typer.Option(
    help="Write this run's HTTP exchanges, secrets and phones masked, to FILE (JSON lines), for a vendor."
)
err_console = Console(stderr=True, soft_wrap=True)


def split_entity(entity: str) -> tuple[str, str]:
    """``customer:42`` -> ``("customer", "42")``; an ``--entity`` value of any other shape is refused."""
    kind, sep, ident = entity.partition(":")
    if not sep or not kind or not ident:
        raise InputError(f"--entity wants TYPE:ID, for example customer:42 (got {entity!r})")
    return kind, ident


def _settings_classes(root: type[BaseSettings]) -> dict[str, type[BaseSettings]]:
    """Every settings class by name (subclasses are imported by then: the command built them)."""
    found: dict[str, type[BaseSettings]] = {}
    for sub in root.__subclasses__():
        found.setdefault(sub.__name__, sub)
        for name, cls in _settings_classes(sub).items():
            found.setdefault(name, cls)
    return found


def settings_error_line(exc: Exception) -> str | None:
    """A settings class's validation error as one line naming each variable, e.g.
    ``SYNCHUB_WEB_SECRET: needs at least 32 characters``; None when ``exc`` is not about settings."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return None
    cls = _settings_classes(BaseSettings).get(exc.title)
    if cls is None:
        return None
    prefix = str(cls.model_config.get("env_prefix", "")).upper()
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        name = prefix + "_".join(str(p) for p in error["loc"]).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(message if message.startswith(name) else f"{name}: {message}")
    return "setting " + "; ".join(parts or [f"{prefix}*: {exc.title} is invalid"])


def _fail(line: str) -> NoReturn:
    err_console.print(f"[red]error:[/red] {escape(line)}", markup=True, highlight=False)
    sys.exit(EXIT_FOUND_WRONG)


def friendly_errors(func: F) -> F:
    """Print a SyncHubError, a settings error (naming the variable) or a database error as one line
    ``error: ...`` on stderr and exit 1 (usage errors stay click's, exit 2); nothing else is caught (a
    bug keeps its traceback)."""
    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError, ProgrammingError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SyncHubError as exc:
            _fail(str(exc))
        except ValidationError as exc:
            line = settings_error_line(exc)
            if line is None:
                raise
            _fail(line)
        except (OperationalError, ProgrammingError) as exc:  # e.g. a table missing: the schema is old
            _fail(database_error_line(exc))

    return wrapper  # type: ignore[return-value]


def print_probe(probe: Any, as_json: bool) -> None:
    """Print a day-one probe (``services.probe``) and exit 1 when it failed. Vendor text is printed as
    data, never as markup."""
    import dataclasses
    import json

    if as_json:
        print_json({**dataclasses.asdict(probe), "ok": probe.ok})
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
        sys.exit(EXIT_FOUND_WRONG)
