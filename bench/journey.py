"""Journey benchmark: a day of leads through the whole lead journey, Prefect's overhead, demo time.

    .venv/bin/python bench/journey.py [--leads 10000] [--batch 250]

- journey: N leads (the sandbox generator's, a day's worth) delivered in batches as a busy webhook
  would hand them over: landed (raw record, mapping, lead, ledger), matched to their customer or
  made one (dedupe-leads; one customer index kept across batches, refreshed by id, as a long-lived
  matcher keeps it), then geocoded (offline first, Amap simulator for ambiguous ones), scored, routed
  and notified (robots/SMS simulators), all on a fresh SQLite store. Leads per second from first
  landing to last notification sent, and the time of each stage.
- prefect: a sync flow with no task, and a flow of 200 trivial tasks, under a Prefect test server:
  seconds per flow run and per task run (the server's start-up is excluded and reported apart).
- demo: wall time of `synchub demo --json` in a fresh folder. Goal: under 2 minutes *and* a demo that
  worked: exit status 0, the ledger verified (``audit_ok``), the auditor's bundle verified
  (``bundle_ok``), leads landed and bills pushed with no duplicate in the ERP. A fast demo that failed
  a stage or a check is "NOT met", with the failed check named.
Figures are printed and saved to a dated file in bench/results/ (see its README).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import exit_code, fresh_database, save, verdict  # noqa: E402


def _payload(i: int, lead: Any) -> dict[str, Any]:
    fields = {
        "name": lead.contact,
        "phone": lead.phone,
        "email": lead.email,
        "company": lead.company,
        "address": lead.address,
        "city": lead.city if i % 2 else None,
        "product": lead.product,
        "budget": lead.budget,
        "remark": lead.remark,
    }
    return {"submission_id": f"day-{i:06d}", "submitted_at": lead.created_at.isoformat(), "fields": fields}


def bench_journey(count: int, batch: int, workdir: Path) -> dict[str, Any]:
    from connectors.amap import AmapClient, AmapSettings
    from connectors.base import SourceRecord
    from connectors.sandbox import SandboxState, running_sandbox
    from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS
    from connectors.sandbox.seed import generate_leads
    from dedupe.service import CustomerMatcher, match_pending_leads
    from hub.demo.senders import sandbox_senders
    from services.intake.landing import ensure_source, land_records
    from services.routing import process_new_leads
    from store.engine import make_engine, session_scope

    leads = generate_leads("journey-day", count, days=1)
    routed = notified = amap_calls = customers = 0
    stages = {"land": 0.0, "dedupe": 0.0, "route_and_notify": 0.0}
    with fresh_database("sqlite", workdir) as url, running_sandbox(SandboxState(seed=5)) as sandbox:
        engine = make_engine(url)
        senders = sandbox_senders(sandbox.base_url, ["east", "north", "ortho"])
        amap = AmapClient(AmapSettings(base_url=sandbox.base_url, **NOTIFY_CREDENTIALS["amap"]))
        with session_scope(engine) as s:
            matcher = CustomerMatcher.from_store(s)
        began = time.perf_counter()
        for start in range(0, count, batch):
            records = [
                SourceRecord(f"day-{i:06d}", "site", _payload(i, leads[i]))
                for i in range(start, min(start + batch, count))
            ]
            t0 = time.perf_counter()
            with session_scope(engine) as s:
                source = ensure_source(s, "webform:site", "web_form")
                new_ids = land_records(s, source, records).new_lead_ids
            t1 = time.perf_counter()
            with session_scope(engine) as s:
                customers += int(match_pending_leads(s, matcher)["new_customers"])
            t2 = time.perf_counter()
            report = process_new_leads(engine, new_ids, geocoder=amap, senders=senders)
            stages["land"] += t1 - t0
            stages["dedupe"] += t2 - t1
            stages["route_and_notify"] += time.perf_counter() - t2
            routed += report.routed
            notified += report.dispatch.sent + report.dispatch.digests
            amap_calls += report.geocode.calls
        elapsed = time.perf_counter() - began
        amap.close()
        engine.dispose()
    return {
        "leads": count,
        "batch": batch,
        "seconds": round(elapsed, 1),
        "leads_per_s": round(count / elapsed),
        "stage_seconds": {k: round(v, 1) for k, v in stages.items()},
        "customers": customers,
        "routed": routed,
        "messages_sent": notified,
        "amap_calls": amap_calls,
    }


def bench_prefect() -> dict[str, Any]:
    from prefect import flow, task
    from prefect.testing.utilities import prefect_test_harness

    @task
    def tiny(i: int) -> int:
        return i

    @flow
    def empty() -> None:
        return None

    @flow
    def many(n: int) -> float:
        """Seconds its ``n`` task runs took, timed inside the flow: a sync flow's exit waits for its
        heartbeat thread in steps of about a second, which would swamp a difference of two flows."""
        began = time.perf_counter()
        for i in range(n):
            tiny(i)
        return time.perf_counter() - began

    started = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=90):
        startup = time.perf_counter() - started
        empty()  # warm-up
        t0 = time.perf_counter()
        for _ in range(5):
            empty()
        per_flow = (time.perf_counter() - t0) / 5
        many(10)  # warm-up: the first task run of a process loads the task engine
        per_task = many(200) / 200
    return {
        "server_startup_s": round(startup, 1),
        "per_flow_run_s": round(per_flow, 3),
        "per_task_run_ms": round(per_task * 1000, 2),
    }


def bench_demo(workdir: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "SYNCHUB_VAR_DIR": str(workdir / "var"),
        "SYNCHUB_AUDIT_SIGNING_KEY_FILE": str(workdir / "var" / "key.pem"),
    }
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "hub", "demo", "--json", "--database-url", f"sqlite:///{workdir / 'demo.db'}"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - began
    try:  # ``--json`` prints its summary even when a check failed (and then exits 1)
        summary: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        summary = {}
    return {
        "wall_s": round(wall, 1),
        "inside_s": summary.get("seconds"),
        "returncode": out.returncode,
        "audit_ok": summary.get("audit_ok"),
        "bundle_ok": summary.get("bundle_ok"),
        "leads": summary.get("leads"),
        "bills_pushed": summary.get("bills_pushed"),
        "erp_duplicates": summary.get("erp_duplicates"),
        **({} if out.returncode == 0 else {"error": out.stderr.strip()[-500:]}),
    }


def demo_failures(demo: dict[str, Any]) -> list[str]:
    """The demo's failed stages and checks, by name (empty: it worked)."""
    failed = [] if demo["returncode"] == 0 else [f"exit status {demo['returncode']}"]
    failed += [f"{name} not true" for name in ("audit_ok", "bundle_ok") if demo.get(name) is not True]
    failed += [f"no {name}" for name in ("leads", "bills_pushed") if not demo.get(name)]
    if demo.get("erp_duplicates"):
        failed.append(f"ERP duplicates {demo['erp_duplicates']}")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=250)
    args = parser.parse_args()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        report["journey"] = bench_journey(args.leads, args.batch, Path(tmp))
        print(f"journey: {report['journey']}", flush=True)
        report["demo"] = bench_demo(Path(tmp))
        print(f"demo: {report['demo']}", flush=True)
    report["prefect"] = bench_prefect()
    print(f"prefect: {report['prefect']}", flush=True)
    failed = demo_failures(report["demo"])
    wall = report["demo"]["wall_s"]
    why = "failed: " + ", ".join(failed) if failed else "exit 0, ledger and bundle verified"
    verdicts = [verdict("demo works and takes under 2 minutes", f"{wall} s", not failed and wall < 120, why)]
    print(f"saved {save('journey', report, verdicts)}")
    sys.exit(exit_code(verdicts))


if __name__ == "__main__":
    main()
