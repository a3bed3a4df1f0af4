"""The incremental match index, and the batch run built on it.

:class:`MatchIndex` keeps the blocking keys of every record added so far (an inverted index, key ->
record positions). Matching a new record looks up its keys, compares it with the records found and
scores each pair; adding it then files its keys. Nothing is rebuilt per record.

:func:`run_batch` is the full run: a fresh index fed every record in order, merge edges joined by
a cluster builder (union-find that will not chain two cities together, ``dedupe.cluster``). The
incremental path (records added one by one as they arrive) performs exactly the same comparisons
in the same order, so on the same input, in the same order, both give the same clusters; this is
what lets ``synchub dedupe run --full`` and lead-by-lead matching agree.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dedupe.blocking import (
    MAX_BLOCK,
    MAX_CANDIDATES,
    RULES,
    BlockingStats,
    block_keys,
    lookup_key,
    phone_key,
)
from dedupe.cluster import ClusterBuilder
from dedupe.compare import Levels, compare
from dedupe.records import Prepared, Record, prepare, prepare_many
from dedupe.switchboard import is_shared, mark_shared
from dedupe.weights import Model, load_model

__all__ = ["BatchResult", "MatchIndex", "ScoredPair", "as_review", "gc_paused", "run_batch"]

_MISSING: list[int] = []  # sentinel: a key seen for the first time


@dataclass(frozen=True, slots=True)
class ScoredPair:
    left: str  # the record already indexed
    right: str  # the record being matched
    levels: Levels
    score: float
    decision: str  # merge | review (distinct pairs are counted, not returned)
    guard: str | None
    latin: bool = False  # both names Latin script: decided on the model's Latin thresholds


class MatchIndex:
    """Records indexed by their blocking keys; see the module docstring."""

    def __init__(
        self,
        model: Model | None = None,
        *,
        max_block: int = MAX_BLOCK,
        max_candidates: int = MAX_CANDIDATES,
        cannot_link: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.model = model or load_model()
        self.max_block = max_block
        self.max_candidates = max_candidates
        self.stats = BlockingStats()
        self._records: list[Prepared] = []
        self._position: dict[str, int] = {}
        self._postings: dict[str, list[int] | None] = {}  # None: the key is closed
        self._cannot: set[frozenset[str]] = {frozenset(pair) for pair in cannot_link}
        self._switchboards: set[str] = set()  # phone keys known to be shared (``dedupe.switchboard``)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._position

    def get(self, record_id: str) -> Prepared:
        return self._records[self._position[record_id]]

    def forbid(self, a: str, b: str) -> None:
        """An admin said these two are different companies: never pair them again."""
        self._cannot.add(frozenset((a, b)))

    def add(self, record: Record | Prepared) -> list[ScoredPair]:
        """Match ``record`` against the index, then index it. Returns its merge and review pairs."""
        prepared = record if isinstance(record, Prepared) else prepare(record)
        if prepared.id in self._position:
            raise ValueError(f"record {prepared.id} is already indexed")
        keys, shared = block_keys(prepared), self.phone_shared(prepared)
        pairs = self._match(prepared, keys, shared=shared)
        self._insert(prepared, keys, shared)
        return pairs

    def match(self, record: Record | Prepared) -> list[ScoredPair]:
        """Merge and review pairs of ``record`` against the index, without indexing it."""
        prepared = record if isinstance(record, Prepared) else prepare(record)
        return self._match(prepared, block_keys(prepared), count=False, shared=self.phone_shared(prepared))

    def candidates(self, record: Prepared) -> list[Prepared]:
        """The indexed records that share a blocking key with ``record`` (capped, not counted)."""
        return [self._records[i] for i in self._candidates(block_keys(record), count=False)]

    def insert(self, record: Prepared) -> None:
        """Index ``record`` without matching it."""
        if record.id in self._position:
            raise ValueError(f"record {record.id} is already indexed")
        self._insert(record, block_keys(record), self.phone_shared(record))

    def phone_shared(self, record: Prepared) -> bool:
        """Is ``record``'s phone a switchboard, given the indexed records (``dedupe.switchboard``)?"""
        if record.phone is None:
            return False
        key = phone_key(record.phone)
        return key in self._switchboards or is_shared(self._records, self._postings.get(key, []), record)

    def _candidates(self, keys: list[tuple[int, str]], count: bool) -> list[int]:
        shared: dict[int, int] = {}
        by_rule = self.stats.pairs_by_rule
        for rule, key in keys:
            posting = self._postings.get(lookup_key(rule, key))
            if not posting:
                continue
            if count:
                by_rule[RULES[rule]] += len(posting)
            for position in posting:
                shared[position] = shared.get(position, 0) + 1
        if len(shared) <= self.max_candidates:
            return list(shared)
        if count:
            self.stats.truncated_records += 1
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], -kv[0]))
        return [position for position, _ in ranked[: self.max_candidates]]

    def _match(
        self, new: Prepared, keys: list[tuple[int, str]], count: bool = True, shared: bool = False
    ) -> list[ScoredPair]:
        out: list[ScoredPair] = []
        model, records, decisions = self.model, self._records, self.stats.decisions
        candidates = self._candidates(keys, count)
        for position in candidates:
            old = records[position]
            if old.id == new.id:  # match() of a record that is already indexed
                continue
            if self._cannot and frozenset((old.id, new.id)) in self._cannot:
                decision_name = "distinct"
            else:
                levels = compare(old, new)
                if shared:
                    levels = mark_shared(levels)
                latin = old.latin and new.latin
                decision = model.decide(levels, latin)
                decision_name = decision.decision
                if decision_name != "distinct":
                    out.append(
                        ScoredPair(
                            old.id, new.id, levels, decision.score, decision_name, decision.guard, latin
                        )
                    )
            if count:
                decisions[decision_name] += 1
        if count:
            self.stats.candidate_pairs += len(candidates)
        return out

    def _insert(self, prepared: Prepared, keys: list[tuple[int, str]], shared: bool = False) -> None:
        """Index ``prepared`` under ``keys``; ``shared``: its phone is a switchboard from now on."""
        if shared and prepared.phone is not None:
            self._switchboards.add(phone_key(prepared.phone))
        position = len(self._records)
        self._records.append(prepared)
        self._position[prepared.id] = position
        postings, max_block = self._postings, self.max_block
        for _, key in keys:
            posting = postings.get(key, _MISSING)
            if posting is _MISSING:
                postings[key] = [position]
            elif posting is None:
                continue
            elif len(posting) >= max_block:
                postings[key] = None
                self.stats.closed_keys += 1
            else:
                posting.append(position)

    def explain(self, pair: ScoredPair) -> dict[str, Any]:
        """The pair's explanation, with the values of the non-personal fields on both sides."""
        a, b = self.get(pair.left), self.get(pair.right)
        shown = {
            "name": (a.core, b.core),
            "region": (a.city or a.province, b.city or b.province),
            "industry": (a.industry, b.industry),
            "uscc": (a.uscc, b.uscc),
            "address": (a.address, b.address),
        }
        return self.model.explain(pair.levels, shown, pair.latin)


@dataclass
class BatchResult:
    clusters: list[list[str]]  # every record, singletons included
    merges: list[ScoredPair]
    reviews: list[ScoredPair]
    stats: BlockingStats
    seconds: float
    index: MatchIndex = field(repr=False)


def run_batch(
    records: Iterable[Record | Prepared],
    model: Model | None = None,
    *,
    cannot_link: Iterable[tuple[str, str]] = (),
    max_block: int = MAX_BLOCK,
    max_candidates: int = MAX_CANDIDATES,
) -> BatchResult:
    """The full run: every record through one fresh index, in order; clusters of the merge edges.

    Records are normalised first, then matched one by one in input order. This is the reference:
    ``dedupe.batch.run_batch`` gives the same result faster and is what the hub runs.
    """
    started = time.perf_counter()
    with gc_paused():
        return _run_batch(records, model, cannot_link, max_block, max_candidates, started)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch runs (or a search reads every name): it makes
    nothing cyclic, and on a heap of millions of small objects the collector's full passes cost a
    third of the matching time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_batch(
    records: Iterable[Record | Prepared],
    model: Model | None,
    cannot_link: Iterable[tuple[str, str]],
    max_block: int,
    max_candidates: int,
    started: float,
) -> BatchResult:
    index = MatchIndex(model, max_block=max_block, max_candidates=max_candidates, cannot_link=cannot_link)
    builder = ClusterBuilder()
    merges: list[ScoredPair] = []
    reviews: list[ScoredPair] = []
    for prepared in prepare_many(list(records)):
        builder.add(prepared)
        for pair in index.add(prepared):
            if pair.decision == "merge" and builder.union(pair.left, pair.right):
                merges.append(pair)
            else:
                reviews.append(as_review(builder, pair))
    return BatchResult(builder.groups(), merges, reviews, index.stats, time.perf_counter() - started, index)


def as_review(builder: ClusterBuilder, pair: ScoredPair) -> ScoredPair:
    """A merge pair the cluster guard held back becomes a review pair that says why."""
    if pair.decision == "review":
        return pair
    guard = builder.conflict(pair.left, pair.right) or "cluster guard"
    return ScoredPair(pair.left, pair.right, pair.levels, pair.score, "review", guard, pair.latin)
