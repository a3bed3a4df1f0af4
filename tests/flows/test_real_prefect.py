"""Prefect for real, as ops run it (no test harness): a ``prefect server start``, ``prefect deploy --all``
of the checkout's prefect.yaml and a process worker started in another folder; and ``synchub serve``
on its own. Each starts real processes and takes a minute or so; CI runs them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from connectors.sandbox.env import sandbox_env
from connectors.sandbox.erp_state import erp_state_of
from core.models import Lead, OutboxMessage
from flows.server import ServerProcess, answers
from tests.conftest import TOKEN_KEY
from tests.finance.conftest import sign

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="
SQLITE = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # processes share the file


def clean_env(**extra: str) -> dict[str, str]:
    """This machine's environment without any Prefect or SyncHub setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SYNCHUB_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra)
    return env


def count(engine: Engine, model: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def stop_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=5, leads_per_account=4)) as server:
        yield server


class Prefect:
    """The test's own client of one server (whatever server a harness may have set for the session)."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def run(self, deployment: str, timeout: float = 150.0) -> Any:
        """Start a run of ``deployment`` and wait for its final state; returns the run."""
        from prefect.client.orchestration import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: self.api_url}), get_client(sync_client=True) as c:
            found = c.read_deployment_by_name(deployment)
            run = c.create_flow_run_from_deployment(found.id)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                run = c.read_flow_run(run.id)
                if run.state is not None and run.state.is_final():
                    return run
                time.sleep(1)
        raise AssertionError(f"{deployment}: no final state in {timeout:.0f} s (last: {run.state})")

    def log_names(self, run_id: Any, wanted: str = "synchub.pull", timeout: float = 30.0) -> set[str]:
        """The logger names in the run's log; waits a while for ``wanted`` (a run ships its log lines
        in the background, so the last may land after its Completed state)."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
        from prefect.settings import PREFECT_API_URL, temporary_settings

        deadline = time.monotonic() + timeout
        with temporary_settings(updates={PREFECT_API_URL: self.api_url}), get_client(sync_client=True) as c:
            while True:
                logs = c.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
                names = {log.name for log in logs}
                if wanted in names or time.monotonic() > deadline:
                    return names
                time.sleep(1)


def any_free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@SQLITE
def test_a_worker_in_another_folder_runs_the_checkouts_deployments(
    store: Engine, store_url: str, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    sign(store, "HT-W-1")
    server = ServerProcess.start(tmp_path / "prefect-home", port=any_free_port())  # never a neighbour's 4200
    env = clean_env(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        PREFECT_API_URL=server.api_url,
        SYNCHUB_DATABASE_URL=store_url,
        SYNCHUB_AUDIT_SIGNING_KEY=KEY,
        SYNCHUB_TOKEN_KEY=TOKEN_KEY,
        **sandbox_env(sandbox.base_url),
    )
    elsewhere = tmp_path / "worker-machine"
    elsewhere.mkdir()
    worker: subprocess.Popen[bytes] | None = None
    try:
        for command, cwd in (
            ([BIN / "prefect", "work-pool", "create", "synchub", "--type", "process"], elsewhere),
            ([BIN / "prefect", "--no-prompt", "deploy", "--all"], ROOT),  # the checkout's prefect.yaml
        ):
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [BIN / "prefect", "worker", "start", "--pool", "synchub"],
                cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        prefect = Prefect(server.api_url)

        pulled = prefect.run("pull-source/pull-ocean-engine")
        assert pulled.state.is_completed(), pulled.state
        assert count(store, Lead) > 0
        assert "synchub.pull" in prefect.log_names(pulled.id)  # the hub's own lines reach the run's log

        routed = prefect.run("process-leads/process-leads")
        assert routed.state.is_completed(), routed.state
        assert count(store, Lead, Lead.owner.is_not(None)) > 0

        pushed = prefect.run("push-receivables/push-receivables")
        assert pushed.state.is_completed(), pushed.state
        assert count(store, OutboxMessage, OutboxMessage.status == "done") == 2
        assert len(erp_state_of(sandbox.state).rows("kingdee", "AR_receivable")) == 2
        ran_by = {row[0] for row in _actors(store)}
        assert {"flow:pull-source/pull-ocean_engine", "flow:push-receivables/push-receivables"} <= ran_by
    finally:
        if worker is not None:
            stop_group(worker)
        server.stop()
    assert not answers(server.api_url)


@SQLITE
def test_synchub_serve_alone_runs_a_scheduled_flow_and_stops_everything_on_sigterm(
    store: Engine, store_url: str, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    schedules = tmp_path / "jobs.toml"
    schedules.write_text(
        # every 10 minutes: serve runs an interval job right away, not an interval after it starts
        '[[jobs]]\nname = "pull-baidu"\nflow = "pull-source"\ninterval = 600\nparameters = { source = "baidu" }\n',
        encoding="utf-8",
    )
    port = _free_port()
    env = clean_env(
        SYNCHUB_DATABASE_URL=store_url,
        SYNCHUB_AUDIT_SIGNING_KEY=KEY,
        SYNCHUB_VAR_DIR=str(tmp_path / "var"),
        **sandbox_env(sandbox.base_url),
    )
    with (tmp_path / "serve.log").open("wb") as log:
        serve = subprocess.Popen(
            [BIN / "synchub", "serve", "--config", str(schedules), "--port", str(port)],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and count(store, Lead) == 0:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            time.sleep(2)
        assert count(store, Lead) > 0, (tmp_path / "serve.log").read_text()[-3000:]
        assert ("flow:pull-source/pull-baidu",) in _actors(store)  # the scheduled run signed its writes
        assert (tmp_path / "var" / "prefect" / "prefect.db").exists()  # its server's database persists
        assert answers(api_url)
        serve.send_signal(signal.SIGTERM)  # to serve alone: it must stop the server it started
        assert serve.wait(timeout=60) == 0, (tmp_path / "serve.log").read_text()[-3000:]
    finally:
        stop_group(serve)
    assert not answers(api_url)
    assert (
        "Prefect server (started here): " + api_url.removesuffix("/api")
        in (tmp_path / "serve.log").read_text()
    )


def _actors(store: Engine) -> list[tuple[str]]:
    with store.connect() as conn:
        return [(str(r[0]),) for r in conn.execute(select(AuditLog.actor).distinct())]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
