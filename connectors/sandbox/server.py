"""Run the sandbox under uvicorn, on the loopback interface only.

``serve()`` blocks (the CLI); ``running_sandbox()`` is a context manager that serves from a
background thread on a free port and yields a :class:`RunningSandbox` (tests, the demo).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from connectors.sandbox.app import create_app
from connectors.sandbox.state import SandboxState
from core.errors import ConfigError
from core.serving import serve_in_thread

__all__ = ["LOOPBACK", "RunningSandbox", "running_sandbox", "serve"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 8765


def _check_host(host: str) -> None:
    if host not in LOOPBACK:
        raise ConfigError(f"the sandbox only listens on the loopback interface, not {host!r}")


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT, seed: int = 42, log_level: str = "info") -> None:
    """Serve the sandbox until interrupted."""
    _check_host(host)
    uvicorn.run(create_app(SandboxState(seed=seed)), host=host, port=port, log_level=log_level)


@dataclass(frozen=True)
class RunningSandbox:
    base_url: str
    state: SandboxState


@contextmanager
def running_sandbox(state: SandboxState | None = None, host: str = "127.0.0.1") -> Iterator[RunningSandbox]:
    """Serve the sandbox from a daemon thread on a free loopback port; stop it on exit."""
    _check_host(host)
    sandbox = state if state is not None else SandboxState()
    with serve_in_thread(create_app(sandbox), host) as base_url:
        yield RunningSandbox(base_url=base_url, state=sandbox)
