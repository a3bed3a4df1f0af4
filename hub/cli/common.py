"""What every ``synchub`` command module shares: the consoles and the one-line error wrapper.

Kept apart from ``hub.cli.main`` so that command modules never import the module that registers them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from rich.console import Console

from core.errors import SyncHubError

__all__ = ["console", "err_console", "friendly_errors"]

F = TypeVar("F", bound=Callable[..., Any])

console = Console()
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
