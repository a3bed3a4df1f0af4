"""Flows benchmark: what Prefect costs SyncHub's schedules, on this machine.

    .venv/bin/python bench/flows.py [--runs 5]

1. ``synchub serve`` from start to its first completed scheduled run: cold (a new Prefect home, so the
   server creates its database) and warm (the same home again).
2. Per-run overhead of a flow that does nothing, sync and async, under ``serve`` (a runner) and under a
   process worker: each run is created by hand, one at a time, and timed from creation to Completed,
   split into pick-up (created -> Pending: the runner's or worker's poll), start (Pending -> Running:
   a new process importing Prefect and the flow) and run (Running -> Completed: the engine, and a sync
   flow's heartbeat thread).

No goals: figures only. Results go to a dated file in bench/results/ (see its README).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import save  # noqa: E402
from bench.flow_probes import noop_async, noop_sync  # noqa: E402
from flows.server import ServerProcess  # noqa: E402

BIN = Path(sys.executable).parent
KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SYNCHUB_"))}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(ROOT), **extra)
    return env


def serve_to_first_run(workdir: Path, port: int) -> float:
    """Seconds from starting ``synchub serve`` to its first Completed run (ledger-checkpoint every 5 s)."""
    jobs = workdir / "jobs.toml"
    jobs.write_text('[[jobs]]\nname = "ledger-checkpoint"\nflow = "ledger-checkpoint"\ninterval = 5\n')
    env = clean_env(
        SYNCHUB_DATABASE_URL=f"sqlite:///{workdir / 'hub.db'}", SYNCHUB_VAR_DIR=str(workdir / "var"),
        SYNCHUB_AUDIT_SIGNING_KEY=KEY,
    )  # fmt: skip
    subprocess.run([BIN / "synchub", "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    serve = _background([BIN / "synchub", "serve", "--config", str(jobs), "--port", str(port)], env, workdir)
    try:
        client = Client(f"http://127.0.0.1:{port}/api")
        while time.perf_counter() - started < 300:
            if client.completed_runs():
                return time.perf_counter() - started
            time.sleep(0.5)
        raise SystemExit("serve: no completed run in 300 s")
    finally:
        _stop(serve)


class Client:
    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def _call(self, fn: Any) -> Any:
        from prefect.client.orchestration import get_client
        from prefect.settings import PREFECT_API_URL, temporary_settings

        try:
            with (
                temporary_settings(updates={PREFECT_API_URL: self.api_url}),
                get_client(sync_client=True) as c,
            ):
                return fn(c)
        except Exception:  # the server is not up yet
            return None

    def completed_runs(self) -> int:
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
        from prefect.client.schemas.objects import StateType

        completed = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
        runs = self._call(lambda c: c.read_flow_runs(flow_run_filter=FlowRunFilter(state=completed)))
        return len(runs or [])

    def time_runs(self, deployment: str, runs: int) -> dict[str, float]:
        """Create ``runs`` runs one after the other; median seconds of each phase."""
        phases: dict[str, list[float]] = {"pick_up": [], "start": [], "run": [], "total": []}
        for _ in range(runs):
            found = self._call(lambda c: c.read_deployment_by_name(deployment))
            created = self._call(lambda c, d=found: c.create_flow_run_from_deployment(d.id))
            while True:
                run = self._call(lambda c, r=created: c.read_flow_run(r.id))
                if run is not None and run.state is not None and run.state.is_final():
                    break
                time.sleep(0.2)
            if not run.state.is_completed():
                raise SystemExit(f"{deployment}: run ended {run.state.type.value}: {run.state.message}")
            states = self._call(lambda c, r=created: c.read_flow_run_states(r.id))
            at = {s.type.value: s.timestamp for s in states}
            begin = run.created
            phases["pick_up"].append((at["PENDING"] - begin).total_seconds())
            phases["start"].append((at["RUNNING"] - at["PENDING"]).total_seconds())
            phases["run"].append((at["COMPLETED"] - at["RUNNING"]).total_seconds())
            phases["total"].append((at["COMPLETED"] - begin).total_seconds())
        return {k: round(statistics.median(v), 2) for k, v in phases.items()}


def _timed(server: ServerProcess, deployment_name: str, runs: int) -> dict[str, Any]:
    client = Client(server.api_url)
    while client._call(lambda c: c.read_deployment_by_name(f"{noop_async.name}/{deployment_name}")) is None:
        time.sleep(0.5)
    return {f.name: client.time_runs(f"{f.name}/{deployment_name}", runs) for f in (noop_sync, noop_async)}


def _background(command: list[Any], env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def overhead_under_serve(server: ServerProcess, env: dict[str, str], runs: int) -> dict[str, Any]:
    served = _background([sys.executable, "-m", "bench.flow_probes", "serve"], env, ROOT)
    try:
        return _timed(server, "bench", runs)
    finally:
        _stop(served)


def overhead_under_worker(
    server: ServerProcess, env: dict[str, str], runs: int, folder: Path
) -> dict[str, Any]:
    pool = [BIN / "prefect", "work-pool", "create", "bench", "--type", "process"]
    subprocess.run(pool, env=env, check=True, capture_output=True)
    deploy = [sys.executable, "-m", "bench.flow_probes", "deploy", "bench"]
    subprocess.run(deploy, env=env, cwd=ROOT, check=True, capture_output=True)
    worker = _background([BIN / "prefect", "worker", "start", "--pool", "bench"], env, folder)
    try:
        return _timed(server, "worker", runs)
    finally:
        _stop(worker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs timed per flow and setting.")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="flows-bench-") as tmp:
        workdir = Path(tmp)
        results["serve_to_first_completed_run_s"] = {
            "cold": round(serve_to_first_run(workdir, 4391), 1),
            "warm": round(serve_to_first_run(workdir, 4391), 1),
        }
        print(f"synchub serve -> first completed run: {results['serve_to_first_completed_run_s']} s")
        home = workdir / "overhead-home"
        server = ServerProcess.start(home)
        env = clean_env(PREFECT_HOME=str(home), PREFECT_API_URL=server.api_url)
        try:
            results["per_run_under_serve_s"] = overhead_under_serve(server, env, args.runs)
            print(f"per run under serve (median s): {results['per_run_under_serve_s']}")
            results["per_run_under_worker_s"] = overhead_under_worker(server, env, args.runs, workdir)
            print(f"per run under a process worker (median s): {results['per_run_under_worker_s']}")
        finally:
            server.stop()
    print(f"saved {save('flows', results)}")


if __name__ == "__main__":
    main()
