"""The review queue as admins get it: one entry per two clusters (``cluster.one_per_cluster_pair``)."""

from __future__ import annotations

from dedupe.cluster import one_per_cluster_pair
from dedupe.index import ScoredPair


def _pair(left: str, right: str, score: float) -> ScoredPair:
    return ScoredPair(left, right, (0,) * 8, score, "review", None)


def test_the_best_pair_between_two_clusters_is_the_one_entry_and_pairs_inside_a_cluster_none() -> None:
    cluster = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c": "C"}
    pairs = [
        _pair("a1", "b1", 2.1),
        _pair("a2", "b2", 2.4),  # the best between A and B
        _pair("b1", "a2", 2.2),
        _pair("a1", "a2", 2.3),  # inside A: merged already, nothing to decide
        _pair("c", "b1", 2.0),
    ]
    entries = one_per_cluster_pair(pairs, cluster.__getitem__)
    assert sorted((p.left, p.right, p.score) for p in entries) == [("a2", "b2", 2.4), ("c", "b1", 2.0)]
    assert one_per_cluster_pair([], cluster.__getitem__) == []
