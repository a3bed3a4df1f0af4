"""Excel export benchmark: the receivables aging workbook of 100,000 installments, end to end.

    .venv/bin/python -m bench.export [--rows N] [--postgres]

A fresh database gets N installments (4 per contract, 500 customers, 20 salespeople, due dates
spread over a year either side of today) through the audited bulk path; then, timed:

- read: the receivables page's data function over every contract (``hub.web.data.exports.receivables
  .contracts_of``), to show what the query costs on its own;
- export: ``receivables_export(...).write(file)``, query and streaming writer together, as
  ``synchub export receivables`` and ``/exports/receivables.xlsx`` run it.

Goal: the 100,000-row export written in under 10 s, judged only on a run of at least 100,000
installments that read them all and wrote a row for each (a smaller ``--rows`` is printed and "NOT
met: not judged", never relabelled as a smaller goal). Prints rows, seconds, rows/s and the file size,
and saves a dated results file in bench/results/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.bulk import bulk_insert  # noqa: E402
from audit.context import audit_context  # noqa: E402
from bench.common import exit_code, fresh_database, save, verdict  # noqa: E402
from core.models import Contract, Customer, ReceivableInstallment  # noqa: E402
from hub.web.data.exports import receivables_export  # noqa: E402
from hub.web.data.exports.receivables import contracts_of  # noqa: E402
from hub.web.data.receivables import ReceivablesQuery  # noqa: E402
from store.engine import make_engine, session_scope  # noqa: E402

GOAL_SECONDS = 10.0
GOAL_ROWS = 100_000  # the installments the goal names
PER_CONTRACT = 4
TODAY = date(2026, 12, 7)
STATUSES = ("scheduled", "pushed", "invoiced", "partially_paid", "overdue", "paid")


def _fill(url: str, rows: int) -> None:
    engine = make_engine(url)
    contracts = rows // PER_CONTRACT
    signed = datetime(2026, 1, 1, tzinfo=UTC)
    with audit_context(actor="bench:export"), session_scope(engine) as s:
        customers = bulk_insert(s, Customer, [{"name": f"基准客户{i:04d}有限公司"} for i in range(500)])
        contract_rows = [
            dict(number=f"HT-B-{n:06d}", customer_id=customers[n % len(customers)], amount=Decimal("40000"),
                 signed_at=signed + timedelta(minutes=n), owner=f"销售{n % 20:02d}")
            for n in range(contracts)
        ]  # fmt: skip
        contract_ids = bulk_insert(s, Contract, contract_rows)
        for start in range(0, len(contract_ids), 5000):
            batch: list[dict[str, Any]] = []
            for n, contract_id in enumerate(contract_ids[start : start + 5000], start):
                for no in range(1, PER_CONTRACT + 1):
                    status = STATUSES[(n + no) % len(STATUSES)]
                    due = TODAY + timedelta(days=(n * 7 + no * 53) % 730 - 365)
                    invoiced = Decimal("10000") if status != "scheduled" else Decimal(0)
                    paid = Decimal("10000") if status == "paid" else Decimal("2500") * (no % 2)
                    batch.append(dict(
                        contract_id=contract_id, installment_no=no, business_key=f"HT-B-{n:06d}-{no}",
                        amount=Decimal("10000"), due_date=due, status=status, invoiced_amount=invoiced,
                        paid_amount=paid,
                    ))  # fmt: skip
            bulk_insert(s, ReceivableInstallment, batch)
    engine.dispose()


def run(backend: str, rows: int, workdir: Path) -> dict[str, Any]:
    with fresh_database(backend, workdir) as url:
        started = time.perf_counter()
        _fill(url, rows)
        print(f"{backend}: {rows:,} installments stored in {time.perf_counter() - started:.1f} s", flush=True)
        engine = make_engine(url)
        started = time.perf_counter()
        read = sum(len(c.installments) for c in contracts_of(engine, ReceivablesQuery(), TODAY))
        read_s = time.perf_counter() - started
        out = workdir / f"receivables-{backend}.xlsx"
        started, cpu = time.perf_counter(), time.process_time()
        written = receivables_export(engine, ReceivablesQuery(), TODAY).write(out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        engine.dispose()
    size = out.stat().st_size
    out.unlink()
    figures = dict(
        backend=backend, installments=read, rows_written=written, read_seconds=round(read_s, 2),
        export_seconds=round(seconds, 2), export_cpu_seconds=round(cpu, 2),
        rows_per_second=round(written / seconds), file_bytes=size,
    )  # fmt: skip
    print(
        f"{backend}: read {read:,} installments in {read_s:.2f} s; exported {written:,} rows "
        f"({read:,} installments, then the totals) in {seconds:.2f} s ({cpu:.2f} s CPU) = "
        f"{written / seconds:,.0f} rows/s, {size / 1e6:.1f} MB",
        flush=True,
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="installments (default 100,000)")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    args = parser.parse_args()
    results: dict[str, Any] = {"rows": args.rows, "runs": []}
    with tempfile.TemporaryDirectory(prefix="synchub-bench-export-") as tmp:
        for backend in ["sqlite", *(["postgresql"] if args.postgres else [])]:
            results["runs"].append(run(backend, args.rows, Path(tmp)))
    verdicts = judge(results)
    print(f"results: {save('export', results, verdicts)}")
    return exit_code(verdicts)


def judge(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One verdict per backend on the goal's own size: a run smaller than the goal's 100,000 rows, or
    one that did not read and write every installment, is not met whatever its time."""
    verdicts = []
    for figures in results["runs"]:
        failed = []
        if results["rows"] < GOAL_ROWS:
            failed.append(f"not judged: {results['rows']:,} rows asked, the goal names {GOAL_ROWS:,}")
        if figures["installments"] < results["rows"]:
            failed.append(f"only {figures['installments']:,} of {results['rows']:,} installments read")
        if figures["rows_written"] < figures["installments"]:
            failed.append(f"{figures['rows_written']:,} rows written for {figures['installments']:,}")
        verdicts.append(
            verdict(
                f"{GOAL_ROWS:,}-row receivables export < {GOAL_SECONDS:.0f} s ({figures['backend']})",
                f"{figures['export_seconds']} s",
                not failed and figures["export_seconds"] < GOAL_SECONDS,
                "; ".join(failed) or f"{figures['rows_written']:,} rows written",
            )
        )
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
