"""Intake benchmark: the web-form webhook under load, the spreadsheet import, the sandbox pull.

    .venv/bin/python bench/intake.py [--requests N] [--rows N]

- webhook: uvicorn serving the API in one process, 50 concurrent senders from this process (a second
  process), N signed submissions (bounded in count and time, loopback only): requests/s and latency
  from sending to the answer, which comes after the lead is committed ("landed"). Goal p99 < 50 ms.
- import: a generated 100,000-row .xlsx through `import_leads` (read, map, land, audit). Goal >= 2,000
  rows/s.
- pull: every sandbox platform into a fresh store, leads/s.
A goal is met only when its run did the work it times: every webhook request sent (none cut off by
the time bound) and answered 2xx, and every imported row landed or rejected with a reason (some
landed, and on the fresh store every row the import accepted landed as a new lead: none quarantined
or lost at landing). Figures are printed and saved to a dated file in bench/results/ (see its README).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402  (only to wait for the server to start)

from bench.common import exit_code, fresh_database, save, verdict  # noqa: E402
from bench.webhook_server import SECRET  # noqa: E402
from connectors.webform import sign  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _post(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    path: str,
    body: bytes,
    headers: dict[str, str],
) -> int:
    """One HTTP/1.1 keep-alive POST on an open connection (httpx's async client tops out near
    250 requests/s on this machine, which would measure the client instead of the server)."""
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{head}\r\n".encode()
        + body
    )
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def _send_all(
    base_url: str, total: int, concurrency: int, deadline: float, prefix: str = "b"
) -> tuple[list[float], dict[int, int]]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))
    host, port = base_url.removeprefix("http://").split(":")

    async def sender() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for i in counter:
                if time.monotonic() > deadline:
                    return
                body = json.dumps(
                    {
                        "submission_id": f"{prefix}-{i}",
                        "fields": {
                            "name": "王总",
                            "phone": f"139{i:08d}",
                            "company": f"杭州测试医疗器械有限公司{i % 500}",
                            "budget": "50万",
                        },
                    },
                    ensure_ascii=False,
                ).encode()
                stamp = int(time.time())
                headers = {
                    "X-SyncHub-Timestamp": str(stamp),
                    "X-SyncHub-Signature": sign(SECRET, stamp, body),
                }
                began = time.perf_counter()
                status = await _post(reader, writer, "/hooks/forms/bench", body, headers)
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return latencies, statuses


def bench_webhook(total: int, concurrency: int, workdir: Path) -> dict[str, Any]:
    with fresh_database("sqlite", workdir) as url:
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "bench.webhook_server", url, str(port)], cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            asyncio.run(
                _send_all(base, 200, concurrency, time.monotonic() + 30, "warm")
            )  # warm-up, not counted
            began = time.perf_counter()
            latencies, statuses = asyncio.run(_send_all(base, total, concurrency, time.monotonic() + 120))
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {
        "requests": len(latencies),
        "requests_asked": total,
        "concurrency": concurrency,
        "statuses": statuses,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
    }


def bench_import(rows: int, workdir: Path) -> dict[str, Any]:
    from hub.demo.data import write_trade_show_file
    from services.intake.imports import import_leads
    from store.engine import make_engine

    sheet = write_trade_show_file(workdir / "big.xlsx", rows=rows, seed=9)
    with fresh_database("sqlite", workdir) as url:
        engine = make_engine(url)
        report = import_leads(engine, sheet, "bench-expo")
        engine.dispose()
    return {
        "rows": report.rows,
        "received": report.landing.received,
        "landed": report.landing.landed,
        "rejected": len(report.rejected),
        "seconds": round(report.seconds, 2),
        "rows_per_s": round(report.rows / report.seconds),
    }


def bench_pull(workdir: Path) -> dict[str, Any]:
    from connectors.registry import get_source_connector, source_connector_names
    from connectors.sandbox import SandboxState, running_sandbox, sandbox_settings
    from services.intake.pull import pull_source
    from services.intake.tokens import DatabaseTokenStore
    from store.engine import make_engine

    with (
        fresh_database("sqlite", workdir) as url,
        running_sandbox(SandboxState(seed=3, leads_per_account=1000)) as sb,
    ):
        engine = make_engine(url)
        began, landed = time.perf_counter(), 0
        for name in source_connector_names():
            settings = sandbox_settings(name, sb.base_url, page_size=100)
            connector = get_source_connector(name, token_store=DatabaseTokenStore(engine), settings=settings)
            landed += pull_source(engine, connector).landing.received
        elapsed = time.perf_counter() - began
        engine.dispose()
    return {"leads": landed, "seconds": round(elapsed, 2), "leads_per_s": round(landed / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        report["webhook"] = bench_webhook(args.requests, args.concurrency, Path(tmp))
        print(f"webhook: {report['webhook']}", flush=True)
        report["pull"] = bench_pull(Path(tmp))
        print(f"pull: {report['pull']}", flush=True)
        report["import"] = bench_import(args.rows, Path(tmp))
        print(f"import: {report['import']}", flush=True)
    verdicts = judge(report)
    print(f"saved {save('intake', report, verdicts)}")
    sys.exit(exit_code(verdicts))


def judge(report: dict[str, Any]) -> list[dict[str, Any]]:
    hook, sheet = report["webhook"], report["import"]
    bad = {code: n for code, n in hook["statuses"].items() if not 200 <= int(code) < 300}
    hook_failed = [f"answers {bad}"] if bad else []
    if hook["requests"] < hook["requests_asked"]:
        hook_failed.append(f"only {hook['requests']} of {hook['requests_asked']} sent in time")
    sheet_failed = [] if sheet["landed"] > 0 else ["nothing landed"]
    if sheet["landed"] != sheet["received"]:  # a fresh store: every accepted row is a new lead
        sheet_failed.append(f"{sheet['received']} received but {sheet['landed']} landed")
    if sheet["received"] + sheet["rejected"] != sheet["rows"]:
        sheet_failed.append(
            f"{sheet['received']} received + {sheet['rejected']} rejected != {sheet['rows']} rows"
        )
    return [
        verdict(
            "webhook p99 < 50 ms",
            f"{hook['p99_ms']} ms",
            not hook_failed and hook["p99_ms"] < 50,
            "; ".join(hook_failed) or f"{hook['requests']} requests, all 2xx",
        ),
        verdict(
            "import >= 2,000 rows/s",
            sheet["rows_per_s"],
            not sheet_failed and sheet["rows_per_s"] >= 2000,
            "; ".join(sheet_failed) or f"{sheet['rows']} rows, {sheet['rejected']} rejected with a reason",
        ),
    ]


if __name__ == "__main__":
    main()
