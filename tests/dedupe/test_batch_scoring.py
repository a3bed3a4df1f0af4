"""The fast full run (``dedupe.batch``) gives exactly the reference run's result (``dedupe.index``).

Same clusters, same merge and review pairs with the same levels, scores, guards and order, same
blocking statistics: on both labelled sets (our generator and the independent china_b2b one), on
Latin-script names, with admins' "not the same" pairs, in one process and with a forked child.
"""

from __future__ import annotations

import csv
import random
from typing import Any

import pytest

from dedupe import batch, index
from dedupe.blocking import block_keys
from dedupe.compare import LEVELS, compare
from dedupe.generate import generate
from dedupe.pairs import _NAME_HOMOPHONE, _NAME_LATIN, _NAME_OTHER, PairScorer
from dedupe.records import Prepared, Record, prepare_many
from dedupe.weights import load_model
from evalsets.china_b2b.generate import generate as generate_china_b2b


def _china_b2b(size: int, seed: int) -> list[Record]:
    rows = csv.reader(generate_china_b2b(size, seed).lines)
    return [
        Record(f"R{i}", company, contact, phone, email, address, uscc)
        for i, (company, contact, phone, email, address, uscc) in enumerate(rows)
    ]


def _latin(size: int, seed: int) -> list[Record]:
    """Person-like Latin names: words swapped, given names dropped, typos, a few shared streets."""
    rng = random.Random(seed)
    given = ["Lachlan", "Anna", "Mia", "Kyle", "Rosa", "Kirra", "Ben", "Jack", "Chloe", "Liam"]
    family = ["Berry", "Smith", "Jones", "Lombardi", "Brock", "Nguyen", "Walker", "White"]
    streets = ["Giblin Street", "King Road", "High Street", "Bay Parade"]
    out = []
    for i in range(size):
        first, last = rng.choice(given), rng.choice(family)
        name = rng.choice([f"{first} {last}", f"{last} {first}", last, f"{first} {last}s"])
        address = f"{rng.randint(1, 30)} {rng.choice(streets)} Killarney" if rng.random() < 0.7 else ""
        out.append(Record(f"L{i}", name, rng.choice(["", first, "Ann"]), address=address))
    return out


SETS = {
    "ours": lambda: [r for r, _ in generate(3000, seed=13)],
    "china_b2b": lambda: _china_b2b(3000, 3),
    "latin": lambda: _latin(1500, 5),
}


def _result(found: index.BatchResult) -> dict[str, Any]:
    def pairs(scored: list[index.ScoredPair]) -> list[tuple[Any, ...]]:
        return [(p.left, p.right, p.levels, p.score, p.decision, p.guard, p.latin) for p in scored]

    return {
        "clusters": found.clusters,
        "merges": pairs(found.merges),
        "reviews": pairs(found.reviews),
        "stats": found.stats.as_dict(),
        "indexed": [r.id for r in found.index._records],
        "postings": found.index._postings,
    }


@pytest.fixture(scope="module", params=sorted(SETS))
def records(request: pytest.FixtureRequest) -> list[Prepared]:
    return prepare_many(SETS[request.param](), processes=1)


def test_the_fast_run_gives_the_reference_result(records: list[Prepared]) -> None:
    reference = _result(index.run_batch(records))
    assert reference["merges"] and reference["stats"]["candidate_pairs"] > len(records)
    assert _result(batch.run_batch(records, processes=1)) == reference


def test_a_forked_child_scoring_half_the_pairs_changes_nothing(records: list[Prepared]) -> None:
    assert _result(batch.run_batch(records, processes=2)) == _result(batch.run_batch(records, processes=1))


def test_pairs_admins_rejected_stay_apart_in_both_runs(records: list[Prepared]) -> None:
    merges = index.run_batch(records).merges
    rejected = [(p.left, p.right) for p in merges[::7]]
    reference = _result(index.run_batch(records, cannot_link=rejected))
    assert _result(batch.run_batch(records, cannot_link=rejected, processes=1)) == reference
    merged = {frozenset((left, right)) for left, right, *_ in reference["merges"]}
    assert not merged & {frozenset(pair) for pair in rejected}


def test_small_caps_truncate_and_close_blocks_alike(records: list[Prepared]) -> None:
    reference = _result(index.run_batch(records, max_block=6, max_candidates=4))
    assert reference["stats"]["truncated_records"] > 0 and reference["stats"]["closed_keys"] > 0
    assert _result(batch.run_batch(records, max_block=6, max_candidates=4, processes=1)) == reference


def test_every_pair_is_scored_as_compare_and_decide_score_it(records: list[Prepared]) -> None:
    """Pair by pair, all candidates of every record: the merge and review pairs with their exact
    levels, and nothing else; and the name level lies in the set the scorer assumed for it."""
    model = load_model()
    scorer = PairScorer(model, records)
    found = index.MatchIndex(model)
    cross = tuple(LEVELS["name"].index(level) for level in ("homophone", "fuzzy", "else"))
    sets = {"latin": _NAME_LATIN, "cross": cross, "homophone": _NAME_HOMOPHONE, "other": _NAME_OTHER}
    seen = dict.fromkeys(sets, 0)
    for new, b in enumerate(records):
        candidates = found._candidates(block_keys(b), False)
        expected = []
        for old in candidates:
            a = records[old]
            levels, latin = compare(a, b), a.latin and b.latin
            decision = model.decide(levels, latin)
            if decision.decision != "distinct":
                pair = index.ScoredPair(
                    a.id, b.id, levels, decision.score, decision.decision, decision.guard, latin
                )
                expected.append(pair)
            if a.core is not None and b.core is not None and a.core != b.core:
                same_pinyin = a.pinyin == b.pinyin or (
                    bool(a.stem and b.stem) and scorer._stem_pinyin[old] == scorer._stem_pinyin[new]
                )
                kind = (
                    "latin"
                    if latin
                    else "cross"
                    if a.latin or b.latin
                    else "homophone"
                    if same_pinyin
                    else "other"
                )
                assert levels[0] in sets[kind], (a.core, b.core, LEVELS["name"][levels[0]])
                seen[kind] += 1
        assert scorer.score(new, candidates) == expected
        found.insert(b)
    assert sum(seen.values()) > 0  # the assumption was put to the test


def test_a_repeated_id_is_refused_as_the_reference_refuses_it() -> None:
    twice = [Record("x", "智联医疗器械有限公司"), Record("x", "智联医械")]
    with pytest.raises(ValueError, match="already indexed"):
        index.run_batch(twice)
    with pytest.raises(ValueError, match="already indexed"):
        batch.run_batch(twice)
