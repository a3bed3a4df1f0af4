"""Evaluation: labelled CSV files in, pairwise precision / recall / F1 of the production pipeline out.

The review queue is counted twice: ``review_pairs`` (every pair decided "review") and
``review_queue`` (what admins get: one entry per two clusters, none inside one cluster, as
``synchub dedupe run --full`` queues them; several review pairs often join the same two clusters).

Pairwise metrics over same-entity pairs: a predicted pair is two records in one predicted cluster
(clusters come from automatic merge decisions only; review pairs are not matches), a true pair is
two records of one entity. Counted from cluster sizes, so a 200k-record run needs no pair list.
"""

from __future__ import annotations

import csv
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from core.errors import InputError
from dedupe.batch import run_batch
from dedupe.cluster import one_per_cluster_pair
from dedupe.diagnose import diagnose
from dedupe.records import Record
from dedupe.weights import Model

__all__ = [
    "RECORD_COLUMNS",
    "evaluate_files",
    "evaluate_records",
    "pairwise_scores",
    "peak_rss_mb",
    "read_records",
    "read_truth",
]

RECORD_COLUMNS = ("id", "company", "contact", "phone", "email", "address", "uscc")


def _rows(path: Path, wanted: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in wanted if c not in header]
            if missing:
                raise InputError(f"{path}: header must have {','.join(wanted)}; missing {','.join(missing)}")
            for line, row in enumerate(reader, start=2):
                yield line, {k: (row.get(k) or "").strip() for k in wanted}
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from exc


def read_records(path: Path) -> list[Record]:
    """``id,company,contact,phone,email,address,uscc``; every field but ``id`` may be empty."""
    out: list[Record] = []
    seen: set[str] = set()
    for line, row in _rows(path, RECORD_COLUMNS):
        if not row["id"]:
            raise InputError(f"{path}: line {line} has an empty id")
        if row["id"] in seen:
            raise InputError(f"{path}: line {line} repeats id {row['id']!r}")
        seen.add(row["id"])
        out.append(
            Record(
                id=row["id"],
                company=row["company"],
                contact=row["contact"],
                phone=row["phone"],
                email=row["email"],
                address=row["address"],
                uscc=row["uscc"],
            )
        )
    return out


def read_truth(path: Path) -> dict[str, str]:
    """``id,entity``: the entity each record belongs to."""
    truth: dict[str, str] = {}
    for line, row in _rows(path, ("id", "entity")):
        if not row["id"] or not row["entity"]:
            raise InputError(f"{path}: line {line} needs both an id and an entity")
        if row["id"] in truth:
            raise InputError(f"{path}: line {line} repeats id {row['id']!r}")
        truth[row["id"]] = row["entity"]
    return truth


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(clusters: Iterable[Iterable[str]], truth: dict[str, str]) -> dict[str, float | int]:
    """Precision, recall and F1 over pairs, with the pair counts they come from."""
    predicted = true_positive = 0
    for cluster in clusters:
        members = list(cluster)
        predicted += _pairs(len(members))
        true_positive += sum(_pairs(n) for n in Counter(truth[m] for m in members).values())
    actual = sum(_pairs(n) for n in Counter(truth.values()).values())
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "true_pairs": actual,
        "predicted_pairs": predicted,
        "true_positive_pairs": true_positive,
    }


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux: ``VmHWM`` of /proc/self/status, the high-water mark of this program's own memory.
    ``ru_maxrss`` is only the fallback, since Linux carries the parent's peak into it across
    fork and exec (a small CLI started by a big process would report the big one's peak).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def evaluate_records(
    records: list[Record], truth: dict[str, str], model: Model | None = None, em: str | None = None
) -> dict[str, Any]:
    """Run the production batch pipeline on ``records`` and score its clusters against ``truth``.

    The pipeline is ``dedupe.batch.run_batch``: exactly ``dedupe.index.run_batch``'s result (the
    tests hold the two together), in passes that cost less.
    """
    missing = [r.id for r in records if r.id not in truth]
    if missing:
        raise InputError(f"truth has no entity for {len(missing)} record(s), e.g. {missing[0]!r}")
    started = time.perf_counter()
    result = run_batch(records, model, em=em)  # em: weights estimated on these records first, timed
    seconds = time.perf_counter() - started
    labels = {r.id: truth[r.id] for r in records}
    scores = pairwise_scores(result.clusters, labels)
    cluster_of = {member: i for i, members in enumerate(result.clusters) for member in members}
    queue = one_per_cluster_pair(result.reviews, cluster_of.__getitem__)
    scored = [(p.left, p.right, p.score, "merge") for p in result.merges]
    scored += [(p.left, p.right, p.score, "review") for p in result.reviews]
    prepared = [result.index.get(r.id) for r in records]
    return {
        **scores,
        "records": len(records),
        "clusters": len(result.clusters),
        "review_pairs": len(result.reviews),
        "merge_pairs": len(result.merges),
        "candidate_pairs": result.stats.candidate_pairs,
        "pairs_by_rule": result.stats.pairs_by_rule,
        "closed_keys": result.stats.closed_keys,
        "seconds": round(seconds, 3),
        "peak_rss_mb": peak_rss_mb(),
        "review_pairs_per_1000": round(len(result.reviews) * 1000 / max(len(records), 1), 1),
        # what admins get (one entry per two clusters, as ``run --full`` queues): issue 21 judges this
        "review_queue": len(queue),
        "review_queue_per_1000": round(len(queue) * 1000 / max(len(records), 1), 1),
        "diagnostics": diagnose(prepared, labels, result.clusters, scored),
    }


def evaluate_files(
    records_path: Path, truth_path: Path, model: Model | None = None, em: str | None = None
) -> dict[str, Any]:
    """What ``synchub dedupe eval --records R.csv --truth T.csv --json`` prints.

    ``seconds`` is the pipeline (normalise, block, compare, score, cluster), not the CSV reading;
    ``peak_rss_mb`` is the process's peak so far, reading included.
    """
    records = read_records(records_path)
    truth = read_truth(truth_path)
    return evaluate_records(records, truth, model, em)
