"""A real Prefect server for ``synchub serve`` on one machine.

Without ``PREFECT_API_URL`` Prefect starts a temporary server inside every process that runs a flow:
``serve`` and each flow run it spawns got servers of their own on one SQLite file, runs were cancelled
("concurrency slot lost") and the file was locked. So ``synchub serve`` starts one ``prefect server
start`` of its own (its database persists under the Prefect home, ``./var/prefect`` unless
``PREFECT_HOME`` says otherwise), waits until it answers, points itself and its flow runs at it, and
stops it on the way out. A server that an earlier ``serve`` left running and that still answers is
reused (and left running). With ``PREFECT_API_URL`` set, that server is used and nothing is started.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from core.errors import ConfigError

__all__ = ["PrefectServer", "ServerProcess", "local_prefect_home", "prefect_server", "recorded_ui_url"]

STATE_FILE = "synchub-server.json"
DEFAULT_PORT = 4200


@dataclass(frozen=True)
class PrefectServer:
    api_url: str  # http://127.0.0.1:4200/api
    started: bool  # True when this process started it (and will stop it)

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/api")


def local_prefect_home(var_dir: Path) -> Path:
    """Where a server started by ``synchub serve`` keeps its database: ``PREFECT_HOME`` if set."""
    home = os.environ.get("PREFECT_HOME")
    return Path(home).expanduser() if home else var_dir / "prefect"


def recorded_ui_url(var_dir: Path) -> str | None:
    """The UI address of the server ``synchub serve`` started (for the console's links), if any."""
    state = _read_state(local_prefect_home(var_dir) / STATE_FILE)
    return None if state is None else str(state["api_url"]).removesuffix("/api")


def answers(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def prefect_server(
    var_dir: Path, port: int | None = None, startup_timeout: float = 120.0
) -> Iterator[PrefectServer]:
    """The Prefect server to use for the duration of the block (see the module docstring)."""
    from prefect.settings import PREFECT_API_URL

    configured = PREFECT_API_URL.value()  # the environment, or the active Prefect profile
    if configured:
        _check_configured(configured)
        yield PrefectServer(configured, started=False)
        return
    home = local_prefect_home(var_dir)
    home.mkdir(parents=True, exist_ok=True)
    state = _read_state(home / STATE_FILE)
    if state is not None and answers(str(state["api_url"])):
        yield PrefectServer(str(state["api_url"]), started=False)
        return
    server = ServerProcess.start(home, port, startup_timeout)
    try:
        (home / STATE_FILE).write_text(json.dumps({"api_url": server.api_url}), encoding="utf-8")
        yield PrefectServer(server.api_url, started=True)
    finally:
        server.stop()
        with contextlib.suppress(FileNotFoundError):
            (home / STATE_FILE).unlink()


@dataclass(frozen=True)
class ServerProcess:
    """One ``prefect server start`` on loopback, in its own process group, with its home and log."""

    api_url: str
    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, home: Path, port: int | None = None, startup_timeout: float = 120.0) -> ServerProcess:
        home.mkdir(parents=True, exist_ok=True)
        chosen = port or _free_port(DEFAULT_PORT)
        server = cls(f"http://127.0.0.1:{chosen}/api", _start(home, chosen))
        try:
            _wait_until_healthy(server.process, server.api_url, home, startup_timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        _stop(self.process)


def _check_configured(api_url: str) -> None:
    """The configured server answers, asked through Prefect's client (its auth string, its Cloud key)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise ConfigError(
            f"PREFECT_API_URL={api_url} does not answer ({problem}); start that server or unset it"
        )


def _start(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with (home / "server.log").open("ab") as log:
        # its own process group: Ctrl-C in the terminal reaches serve, which then stops the server
        return subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip


def _wait_until_healthy(process: subprocess.Popen[bytes], api_url: str, home: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigError(f"the Prefect server stopped at start-up: {_tail(home / 'server.log')}")
        if answers(api_url, timeout=1.0):
            return
        time.sleep(0.5)
    raise ConfigError(
        f"the Prefect server did not answer within {timeout:.0f} s: {_tail(home / 'server.log')}"
    )


def _stop(process: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _free_port(preferred: int) -> int:
    for candidate in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise ConfigError("no free TCP port on 127.0.0.1 for the Prefect server")


def _read_state(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) and "api_url" in data else None


def _tail(log: Path, lines: int = 5) -> str:
    try:
        return " | ".join(log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"
