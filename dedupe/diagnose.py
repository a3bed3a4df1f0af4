"""Where true pairs are lost and how big the review queue is: the diagnostics of ``dedupe eval``.

Given the prepared records, the truth and a batch result (``dedupe.index.run_batch``):

- ``blocking``: per blocking rule, the share of true pairs that share one of its keys (block caps
  ignored), and ``compared``: the share the run actually scored (a merge or review pair, or the
  same cluster).
- ``recall_by_kind``: pair-level recall of the clusters for true pairs that share a phone, share a
  USCC, share neither (and, inside those, share the company core or not).
- ``review_queue``: review pairs per 1,000 records if the review threshold were each value of a grid,
  how many of those are true matches, and the merge precision (share of merge edges that are true).

True pairs are listed one by one: fine for labelled sets (entities of a few records each).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any, NamedTuple

from dedupe.blocking import RULES, block_keys, lookup_key
from dedupe.cluster import one_per_cluster_pair
from dedupe.records import Prepared

__all__ = ["REVIEW_GRID", "diagnose"]

REVIEW_GRID = (-8.0, -4.0, -2.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)


def _true_pairs(ids: Sequence[str], truth: dict[str, str]) -> list[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for record_id in ids:
        members[truth[record_id]].append(record_id)
    return [pair for group in members.values() for pair in combinations(group, 2)]


def _share(a: Iterable[tuple[int, str]], b: Iterable[tuple[int, str]]) -> set[int]:
    keys_b = set(b)
    return {rule for rule, key in a if (rule, lookup_key(rule, key)) in keys_b}


def _kind(a: Prepared, b: Prepared) -> str:
    if a.uscc is not None and a.uscc == b.uscc:
        return "shares_uscc"
    if a.phone is not None and a.phone == b.phone:
        return "shares_phone"
    return "shares_core" if a.core is not None and a.core == b.core else "shares_neither_nor_core"


def diagnose(
    prepared: Sequence[Prepared],
    truth: dict[str, str],
    clusters: Iterable[Iterable[str]],
    scored: Iterable[tuple[str, str, float, str]],
) -> dict[str, Any]:
    """``scored``: (left, right, score, decision) of every merge and review pair of the run."""
    by_id = {p.id: p for p in prepared}
    keys = {p.id: block_keys(p) for p in prepared}
    cluster_of = {m: i for i, members in enumerate(clusters) for m in members}
    scored = list(scored)
    touched = {frozenset((a, b)) for a, b, _, _ in scored}
    pairs = _true_pairs([p.id for p in prepared], truth)
    rule_hits = dict.fromkeys(RULES, 0)
    any_rule = compared = 0
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a, b in pairs:
        rules = _share(keys[a], keys[b])
        for rule in rules:
            rule_hits[RULES[rule]] += 1
        any_rule += bool(rules)
        same = cluster_of[a] == cluster_of[b]
        compared += same or frozenset((a, b)) in touched
        kind = _kind(by_id[a], by_id[b])
        for name in (kind, "all"):
            kinds[name][0] += 1
            kinds[name][1] += same
    total = max(len(pairs), 1)
    blocking = {rule: round(n / total, 4) for rule, n in rule_hits.items()}
    blocking["any_rule"] = round(any_rule / total, 4)
    blocking["compared"] = round(compared / total, 4)
    recall = {k: {"pairs": n, "recall": round(hit / n, 4) if n else None} for k, (n, hit) in kinds.items()}
    return {
        "true_pairs": len(pairs),
        "blocking_recall": blocking,
        "recall_by_kind": dict(sorted(recall.items())),
        "review_queue": _queue(scored, truth, len(prepared), cluster_of),
    }


class _Scored(NamedTuple):
    left: str
    right: str
    score: float
    decision: str


def _queue(
    scored: list[tuple[str, str, float, str]], truth: dict[str, str], records: int, cluster_of: dict[str, int]
) -> dict[str, Any]:
    """Review pairs and queue entries (the best pair per two clusters, ``cluster.one_per_cluster_pair``)
    per review threshold: an entry stays while its best pair scores at least the threshold."""
    merges = [truth[a] == truth[b] for a, b, _, d in scored if d == "merge"]
    reviews = [(s, truth[a] == truth[b]) for a, b, s, d in scored if d == "review"]
    queued = one_per_cluster_pair(
        (_Scored(*row) for row in scored if row[3] == "review"), cluster_of.__getitem__
    )
    entries = [(p.score, truth[p.left] == truth[p.right]) for p in queued]
    per_k = 1000 / max(records, 1)
    by_threshold = {}
    for threshold in REVIEW_GRID:
        kept = [same for s, same in reviews if s >= threshold]
        in_queue = [same for s, same in entries if s >= threshold]
        by_threshold[str(threshold)] = {
            "pairs": len(kept),
            "per_1000_records": round(len(kept) * per_k, 1),
            "true_matches": sum(kept),
            "queue_entries": len(in_queue),
            "queue_per_1000_records": round(len(in_queue) * per_k, 1),
        }
    return {
        "pairs": len(reviews),
        "per_1000_records": round(len(reviews) * per_k, 1),
        "true_matches": sum(same for _, same in reviews),
        "queue_entries": len(entries),
        "queue_per_1000_records": round(len(entries) * per_k, 1),
        "merge_edges": len(merges),
        "merge_precision": round(sum(merges) / len(merges), 5) if merges else 1.0,
        "by_review_threshold": by_threshold,
    }
