"""Ledger benchmark: audited writes per second (SQLite, PostgreSQL; one and two writers) and the time
to verify one million entries.

    .venv/bin/python bench/audit.py [--quick] [--verify-entries N]

Goals (issue 3): >= 5,000 audited writes/s on SQLite, >= 2,000/s on PostgreSQL, verify 1M < 10 s.
An "audited write" is one insert or update of a business row together with its ledger entry, in the
same transaction: the goal names one-row transactions, so it is judged on one writer committing one
row per transaction (``one_writer_1_row_per_txn``), never on the best of the four configurations;
the other three are printed beside it. Each transaction inserts its row(s) and then updates each once
(bench/ledger_writer.py), so a one-row transaction is two audited writes: writes/s is twice the
transactions/s (``transactions_per_second`` is saved beside it). The verify goal is judged only when
1M entries were verified (a smaller ``--verify-entries`` is reported, extrapolated, and not met).
Figures are printed and saved to a dated file in bench/results/ (see its README).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import exit_code, fresh_database, postgres_url, save, verdict  # noqa: E402
from bench.ledger_writer import write  # noqa: E402
from bench.synthetic_ledger import fill  # noqa: E402


def writers(url: str, processes: int, transactions: int, per_txn: int, workdir: Path) -> float:
    """Audited writes per second with ``processes`` writer processes started at the same instant."""
    start = workdir / f"go-{time.monotonic_ns()}"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.ledger_writer",
                url,
                f"w{i}",
                str(transactions),
                str(per_txn),
                str(start),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(processes)
    ]
    time.sleep(1.5)  # let every process import and connect before the start signal
    began = time.perf_counter()
    start.touch()
    outputs = [json.loads(p.communicate()[0]) for p in procs]
    elapsed = time.perf_counter() - began
    return sum(o["written"] for o in outputs) / elapsed


def bench_backend(backend: str, quick: bool, workdir: Path) -> dict[str, Any]:
    scale = 5 if quick else 1
    results: dict[str, Any] = {}
    with fresh_database(backend, workdir) as url:
        done, secs = write(url, "warmup", 20, 1)
        done, secs = write(url, "single-small", 1000 // scale, 1)
        results["one_writer_1_row_per_txn"] = round(done / secs)
        done, secs = write(url, "single-batch", 100 // scale, 100)
        results["one_writer_100_rows_per_txn"] = round(done / secs)
        results["two_writers_1_row_per_txn"] = round(writers(url, 2, 500 // scale, 1, workdir))
        results["two_writers_100_rows_per_txn"] = round(writers(url, 2, 50 // scale, 100, workdir))
    return results


def bench_verify(backend: str, entries: int, workdir: Path) -> dict[str, Any]:
    from audit.verify import verify_ledger
    from store.engine import make_engine

    with fresh_database(backend, workdir) as url:
        engine = make_engine(url)
        fill(engine, entries)
        began = time.perf_counter()
        result = verify_ledger(engine)
        seconds = time.perf_counter() - began
        engine.dispose()
    assert result.ok and result.count == entries, result
    return {
        "entries": entries,
        "seconds": round(seconds, 2),
        "seconds_per_million": round(seconds * 1e6 / entries, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    parser.add_argument("--verify-entries", type=int, default=1_000_000)
    args = parser.parse_args()
    backends = ["sqlite"] + (["postgresql"] if postgres_url() else [])
    report: dict[str, Any] = {"writes_per_second": {}, "verify": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            report["writes_per_second"][backend] = bench_backend(backend, args.quick, Path(tmp))
            report.setdefault("transactions_per_second", {})[backend] = {
                config: round(figure / (2 * (100 if "_100_rows_" in config else 1)))
                for config, figure in report["writes_per_second"][backend].items()
            }
            print(f"{backend:10s} audited writes/s: {report['writes_per_second'][backend]}", flush=True)
        for backend in backends:
            report["verify"][backend] = bench_verify(backend, args.verify_entries, Path(tmp))
            print(f"{backend:10s} verify: {report['verify'][backend]}", flush=True)
    verdicts = judge(report, set(backends))
    print(f"saved {save('audit', report, verdicts)}")
    sys.exit(exit_code(verdicts))


GOALS = {"sqlite": 5000, "postgresql": 2000}
JUDGED = "one_writer_1_row_per_txn"  # the configuration the goal names (see the docstring)


def judge(report: dict[str, Any], measured: set[str]) -> list[dict[str, Any]]:
    verdicts = []
    for backend, goal in GOALS.items():
        figures = report["writes_per_second"].get(backend)
        if figures is None:
            verdicts.append(verdict(f"{backend} >= {goal:,} writes/s", None, False, "not measured"))
            continue
        for config, figure in figures.items():
            print(f"  {backend} {config}: {figure:,} writes/s{' (judged)' if config == JUDGED else ''}")
        verdicts.append(
            verdict(f"{backend} >= {goal:,} writes/s", figures[JUDGED], figures[JUDGED] >= goal, JUDGED)
        )
    for backend in sorted(measured):
        figures = report["verify"][backend]
        full = figures["entries"] >= 1_000_000
        verdicts.append(
            verdict(
                f"{backend} verify 1M entries < 10 s",
                figures["seconds_per_million"],
                full and figures["seconds_per_million"] < 10,
                "" if full else f"only {figures['entries']:,} entries verified: extrapolated, not judged",
            )
        )
    return verdicts


if __name__ == "__main__":
    main()
