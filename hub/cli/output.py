"""The output conventions every ``synchub`` command shares: ``--json`` documents, progress bars and the
exit codes.

* ``--json`` (:data:`JSON_OPTION`): one JSON document on stdout, printed by :func:`print_json` and by
  nothing else: plain text (no markup, no colour), keys in English, times as ISO-8601 in UTC
  (``2026-12-07T06:30:00+00:00``; the store keeps naive UTC times), amounts as decimal strings.
* Progress (:func:`progress_bar`): on stderr, only when stderr is a terminal and JSON was not asked for,
  gone once the command ends, so pipes and scripts never see it.
* Exit codes (:data:`EXIT_CODES`): 0 fine, 1 something found wrong, 2 usage.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_FOUND_WRONG",
    "EXIT_OK",
    "EXIT_USAGE",
    "JSON_OPTION",
    "ProgressCallback",
    "json_text",
    "print_json",
    "progress_bar",
    "utc_iso",
]

EXIT_OK = 0
EXIT_FOUND_WRONG = 1  # a domain error, a failed check, a broken chain, a refused value
EXIT_USAGE = 2  # click's code for a usage error: an unknown option, a bad option value
EXIT_CODES = (
    "Exit codes: 0 fine; 1 something found wrong (an error of the hub, a failed check, a broken audit "
    "chain, a refused value); 2 usage (an unknown command or option, a bad option value)."
)
JSON_OPTION = typer.Option(
    "--json", help="Print one JSON document on stdout (plain; times ISO-8601 UTC) instead of text."
)


class ProgressCallback(Protocol):
    """What a long service call reports through: work done so far, and the total when it knows it."""

    def __call__(self, done: int, total: int | None = None, /) -> None: ...


def utc_iso(moment: datetime) -> str:
    """ISO-8601 in UTC; a naive time is the store's, which is UTC."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


def _plain(value: Any) -> Any:
    """``json.dumps``'s fallback for the types commands report."""
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # exact, as the console API writes amounts
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # not asdict: it garbles a Counter
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_text(data: Any) -> str:
    """``data`` as one line of JSON in the convention above (Chinese kept as is, not ``\\u`` escaped)."""
    return json.dumps(data, ensure_ascii=False, default=_plain)


def print_json(data: Any) -> None:
    """The one way a command prints ``--json`` output: one line on stdout, nothing else."""
    typer.echo(json_text(data), color=False)


@contextmanager
def progress_bar(
    description: str, total: int | None = None, *, hidden: bool = False, console: Console | None = None
) -> Iterator[ProgressCallback | None]:
    """A transient progress bar on stderr; yields the callback a service reports to (``done``, and
    ``total`` once it knows it). Without a total it pulses with the elapsed time. When ``hidden``
    (``--json``) or when stderr is not a terminal nothing is drawn and it yields None, so the service
    skips its reporting altogether."""
    target = console or Console(stderr=True)
    if hidden or not target.is_terminal:
        yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=target, transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(done: int, total: int | None = None, /) -> None:
            if total is None:
                bar.update(task, completed=done)
            else:
                bar.update(task, completed=done, total=total)

        yield advance
