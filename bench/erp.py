"""ERP push benchmark: receivables into the Kingdee simulator with 150 ms per ERP call.

    .venv/bin/python bench/erp.py [--bills N] [--concurrency C] [--rate R] [--seconds S] [--postgres]

- throughput: N installments waiting in the outbox, pushed with C bills in parallel (customers
  already in the ERP after the first bill of each): bills/s and ERP calls per bill;
- latency: the push loop running continuously (as the push-receivables worker does) while contracts
  are signed at R per second for S seconds; from "contract signed" (before ``sign_contract`` is
  called) to "bill created in the ERP" (the simulator stores it): p50, p99, max. Goal: p99 < 10 s.
The goal is met only when every signed contract's bill reached the ERP, once. Figures are printed and
saved to a dated file in bench/results/ (see its README). Loopback only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import exit_code, fresh_database, save, verdict  # noqa: E402
from connectors.http import RequestMetrics  # noqa: E402
from connectors.sandbox import SandboxState, running_sandbox  # noqa: E402
from connectors.sandbox.erp_state import ErpState, erp_state_of  # noqa: E402
from connectors.sandbox.kingdee import sandbox_settings  # noqa: E402
from services.finance.gateways import build_gateways, close_all  # noqa: E402
from services.finance.intake import sign_contract  # noqa: E402
from services.finance.push import push_once, run_push_loop  # noqa: E402
from services.finance.settings import FinanceSettings  # noqa: E402
from store.engine import make_engine  # noqa: E402

CALL_SECONDS = 0.15


def _contract(number: str, customer: int) -> dict[str, Any]:
    return {
        "number": number,
        "customer": {"name": f"基准客户{customer:03d}有限公司"},
        "amount": "100000.00",
        "tax_rate": "13%",
        "signed_at": "2026-11-20",
        "payment_terms": {"installments": [100]},
    }


def _watch_creations(erp: ErpState) -> dict[str, float]:
    """Wall time at which the simulator stored each receivable, by bill number."""
    created: dict[str, float] = {}
    original = erp.add

    def add(system: str, form: str, row: dict[str, Any]) -> dict[str, Any]:
        out = original(system, form, row)
        if form == "AR_receivable":
            created[str(row["FBillNo"])] = time.perf_counter()
        return out

    erp.add = add  # type: ignore[method-assign]
    return created


def throughput(
    url: str, base_url: str, bills: int, concurrency: int, metrics: RequestMetrics
) -> dict[str, Any]:
    engine = make_engine(url)
    for n in range(bills):
        sign_contract(engine, _contract(f"BT-{n:05d}", n % 10), actor="bench")
    settings = FinanceSettings(batch_size=max(concurrency * 4, 20))
    gateways = build_gateways(
        ["kingdee"], kingdee=sandbox_settings(base_url, max_connections=concurrency + 4), metrics=metrics
    )
    metrics.reset()
    started = time.perf_counter()
    done = 0
    try:
        while True:
            report = push_once(engine, gateways, worker="bench", settings=settings, concurrency=concurrency)
            done += report.outcomes.get("created", 0)
            if report.claimed == 0:
                break
    finally:
        close_all(gateways)
        engine.dispose()
    seconds = time.perf_counter() - started
    return {
        "bills": done,
        "seconds": round(seconds, 2),
        "bills_per_second": round(done / seconds, 1),
        "erp_calls_per_bill": round(metrics.total("kingdee") / max(done, 1), 2),
        "concurrency": concurrency,
    }


def latency(
    url: str, base_url: str, erp: ErpState, rate: float, seconds: float, concurrency: int
) -> dict[str, Any]:
    engine = make_engine(url)
    created = _watch_creations(erp)
    signed: dict[str, float] = {}
    stop = threading.Event()
    settings = FinanceSettings(batch_size=max(concurrency * 2, 10))
    gateways = build_gateways(
        ["kingdee"], kingdee=sandbox_settings(base_url, max_connections=concurrency + 4)
    )
    pusher = threading.Thread(
        target=run_push_loop,
        args=(engine, gateways),
        kwargs={
            "worker": "bench-loop",
            "stop": stop,
            "settings": settings,
            "concurrency": concurrency,
            "idle_seconds": 0.1,
        },
    )
    pusher.start()
    started = time.perf_counter()
    n = 0
    try:
        while time.perf_counter() - started < seconds:
            due = started + n / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            number = f"LT-{n:05d}"
            signed[f"{number}-01"] = time.perf_counter()
            sign_contract(engine, _contract(number, n % 10), actor="bench")
            n += 1
        deadline = time.perf_counter() + 60
        while len([k for k in signed if k in created]) < len(signed) and time.perf_counter() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        pusher.join(timeout=30)
        close_all(gateways)
        engine.dispose()
    waits = sorted(created[k] - signed[k] for k in signed if k in created)
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))] if waits else float("nan")
    return {
        "contracts": len(signed),
        "bills_created": len(waits),
        "rate_per_second": rate,
        "p50_seconds": round(statistics.median(waits), 3) if waits else None,
        "p99_seconds": round(p99, 3),
        "max_seconds": round(waits[-1], 3) if waits else None,
        "goal_p99_seconds": 10.0,
        "goal_met": bool(waits) and p99 < 10.0 and len(waits) == len(signed),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bills", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, default=5.0, help="contracts signed per second (latency run)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the latency run")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    backend = "postgresql" if args.postgres else "sqlite"
    results: dict[str, Any] = {"backend": backend, "erp_call_seconds": CALL_SECONDS}
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("throughput", "latency"):
            sandbox = SandboxState(leads_per_account=1)
            erp = erp_state_of(sandbox)
            erp.faults["kingdee"].latency = CALL_SECONDS
            with running_sandbox(sandbox) as running, fresh_database(backend, Path(tmp)) as url:
                if part == "throughput":
                    results[part] = throughput(
                        url, running.base_url, args.bills, args.concurrency, RequestMetrics()
                    )
                else:
                    results[part] = latency(
                        url, running.base_url, erp, args.rate, args.seconds, args.concurrency
                    )
                assert max(erp.bill_keys("kingdee").values(), default=1) == 1, "a duplicate bill in the ERP"
            print(f"{part}: {results[part]}", flush=True)
    lat = results["latency"]
    verdicts = [
        verdict(
            f"{backend} contract signed -> bill in the ERP p99 < 10 s",
            f"{lat['p99_seconds']} s",
            lat["goal_met"],
            f"{lat['bills_created']} of {lat['contracts']} bills created, none twice",
        )
    ]
    path = save("erp", results, verdicts)
    print(f"saved {path}")
    return exit_code(verdicts)


if __name__ == "__main__":
    sys.exit(main())
