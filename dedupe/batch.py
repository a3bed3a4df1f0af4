"""The full run, faster: exactly ``dedupe.index.run_batch``'s result in less time.

``index.run_batch`` feeds the records one by one through the incremental index (``MatchIndex.add``:
candidates, compare and decide each pair, index the record) and joins merge edges in a cluster
builder. This module gives the same result (clusters, merge and review pairs with their levels,
scores and guards, the blocking statistics, the filled index) in less time:

- candidates are found as ``MatchIndex.add`` finds them, with the index's own postings and
  ``_insert``, but without counting shared keys unless a record has too many (:class:`_Blocker`);
- pairs are decided by :class:`dedupe.pairs.PairScorer`, which skips the name chain and the address
  comparison of a pair whose decision its cheap fields already settle;
- with a core idle and at least ``FORK_MIN_RECORDS`` records, every record's candidates are found
  first (they depend only on the records and their order, never on a decision), a forked child
  decides the later records' pairs while this process decides the earlier ones, and the clusters
  are built afterwards in input order, with the same ``ClusterBuilder`` calls in the same order.

``tests/dedupe/test_batch_scoring.py`` holds the result against ``dedupe.index.run_batch``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

from dedupe._fork import can_fork, in_two_processes
from dedupe.blocking import MAX_BLOCK, MAX_CANDIDATES, RULES, SOUND, BlockingStats, block_keys, lookup_key
from dedupe.cluster import ClusterBuilder
from dedupe.em import fit
from dedupe.index import BatchResult, MatchIndex, ScoredPair, as_review, gc_paused
from dedupe.pairs import PairScorer
from dedupe.records import Prepared, Record, prepare_many
from dedupe.weights import Model

__all__ = ["FORK_MIN_RECORDS", "run_batch"]

# Below this many records the fork and the pickling back cost more than half the scoring saves.
FORK_MIN_RECORDS = 50_000
Scored = list[tuple[int, list[ScoredPair]]]  # (record position, its merge and review pairs)


def run_batch(
    records: Iterable[Record | Prepared],
    model: Model | None = None,
    *,
    cannot_link: Iterable[tuple[str, str]] = (),
    max_block: int = MAX_BLOCK,
    max_candidates: int = MAX_CANDIDATES,
    processes: int | None = None,
    em: str | None = None,
) -> BatchResult:
    """What ``dedupe.index.run_batch`` returns, from the same arguments (see the module docstring).

    ``processes``: 1 decides every pair in this process, 2 forks a child for the later records'
    pairs; None forks from ``FORK_MIN_RECORDS`` records on when a core is idle (``can_fork``).
    ``em``: a scope of ``dedupe.em``: the model's weights are first estimated on these records'
    candidate pairs (``dedupe.em.fit``), and the result's ``index.model`` is the estimated model.
    """
    started = time.perf_counter()
    with gc_paused():
        prepared = prepare_many(list(records))
        index = MatchIndex(model, max_block=max_block, max_candidates=max_candidates, cannot_link=cannot_link)
        blocker = _Blocker(index)
        clusters = _Clusters()
        if processes is None:
            processes = 2 if len(prepared) >= FORK_MIN_RECORDS and can_fork() else 1
        if processes >= 2 or em is not None:  # every record's candidates first
            candidates = [blocker.add(record) for record in prepared]
            if em is not None:
                index.model = fit(prepared, candidates, index.model, em, blocker.shared_phone)
            scorer = PairScorer(index.model, prepared, index._cannot, blocker.shared_phone)
            scored = dict(
                _score_forked(scorer, candidates) if processes >= 2 else _score(scorer, candidates, 0)
            )
            for position, record in enumerate(prepared):
                clusters.builder.add(record)
                if position in scored:
                    clusters.add(scored[position])
        else:  # block, decide and cluster record by record, as the incremental run does
            scorer = PairScorer(index.model, prepared, index._cannot, blocker.shared_phone)
            for position, record in enumerate(prepared):
                found = blocker.add(record)
                clusters.builder.add(record)
                if found:
                    clusters.add(scorer.score(position, found))
        stats = blocker.finish()
        for name, count in clusters.decisions.items():
            stats.decisions[name] += count
        stats.decisions["distinct"] += stats.candidate_pairs - len(clusters.merges) - len(clusters.reviews)
        groups = clusters.builder.groups()  # inside: with the collector on, its lists cost a second at 200k
    return BatchResult(
        groups,
        clusters.merges,
        clusters.reviews,
        stats,
        time.perf_counter() - started,
        index,
    )


class _Clusters:
    """Merge edges joined as ``index.run_batch`` joins them; held-back merges become review pairs."""

    def __init__(self) -> None:
        self.builder = ClusterBuilder()
        self.merges: list[ScoredPair] = []
        self.reviews: list[ScoredPair] = []
        self.decisions = {"merge": 0, "review": 0}  # as the model decided (before the cluster guard)

    def add(self, pairs: list[ScoredPair]) -> None:
        for pair in pairs:
            self.decisions[pair.decision] += 1
            if pair.decision == "merge" and self.builder.union(pair.left, pair.right):
                self.merges.append(pair)
            else:
                self.reviews.append(as_review(self.builder, pair))


class _Blocker:
    """Each record's candidates (positions of older records) as ``MatchIndex.add`` finds them, then
    the record indexed with the index's own ``_insert``.

    ``MatchIndex._candidates`` counts how many keys each candidate shares, which only matters when
    a record has more than ``max_candidates`` (the ones sharing most are kept); here the postings
    are merged in C (``dict.fromkeys``) and counted only in that case. Same candidates, same order,
    same statistics.
    """

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self.shared_phone: set[int] = set()  # positions of records whose phone was a switchboard
        self._by_rule = [0] * len(RULES)
        self._pairs = 0

    def add(self, record: Prepared) -> list[int]:
        index = self.index
        if record.id in index._position:
            raise ValueError(f"record {record.id} is already indexed")
        keys = block_keys(record)
        postings, by_rule, limit = index._postings, self._by_rule, index.max_candidates
        found: list[list[int]] = []
        for rule, key in keys:
            posting = postings.get(key if rule != SOUND else lookup_key(rule, key))
            if posting:
                by_rule[rule] += len(posting)
                found.append(posting)
        candidates = list(found[0]) if len(found) == 1 else list(dict.fromkeys(chain.from_iterable(found)))
        if len(candidates) > limit:
            index.stats.truncated_records += 1
            shared = Counter(chain.from_iterable(found))
            ranked = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))
            candidates = [position for position, _ in ranked[:limit]]
        self._pairs += len(candidates)
        switchboard = record.phone is not None and index.phone_shared(record)
        if switchboard:
            self.shared_phone.add(len(index._records))
        index._insert(record, keys, switchboard)
        return candidates

    def finish(self) -> BlockingStats:
        """The index's statistics with this blocking's pairs added (decisions are the caller's)."""
        stats = self.index.stats
        stats.candidate_pairs += self._pairs
        for rule, count in enumerate(self._by_rule):
            stats.pairs_by_rule[RULES[rule]] += count
        return stats


def _score(scorer: PairScorer, candidates: Sequence[list[int]], start: int) -> Scored:
    """(position, its merge and review pairs) for each record from ``start`` on that has any."""
    out: Scored = []
    for position, found in enumerate(candidates, start):
        if found and (pairs := scorer.score(position, found)):
            out.append((position, pairs))
    return out


def _score_forked(scorer: PairScorer, candidates: Sequence[list[int]]) -> Scored:
    """The later records' pairs in a forked child (about half the pairs), the earlier ones here."""
    total, running, half = sum(map(len, candidates)), 0, len(candidates)
    for position, found in enumerate(candidates):
        running += len(found)
        if running * 2 >= total:
            half = position + 1
            break
    first, rest = in_two_processes(
        lambda: _score(scorer, candidates[:half], 0), lambda: _score(scorer, candidates[half:], half)
    )
    return first + list(rest)
