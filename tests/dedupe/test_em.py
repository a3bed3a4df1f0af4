"""Weights estimated without labels on the data being matched (issue 21, ``dedupe.em``)."""

from __future__ import annotations

from collections import Counter

from dedupe import FIELDS, LEVELS, Record, load_model, prepare
from dedupe.em import estimate, refit
from dedupe.weights import Model


def _levels(**named: str) -> tuple[int, ...]:
    return tuple(LEVELS[f].index(named.get(f, "null")) for f in FIELDS)


def _vague() -> Model:
    """A prior that knows only that closer levels are likelier among matches (EM needs some asymmetry
    to start from: with m = u every pair is equally likely a match and nothing moves)."""
    m = {f: [0.0] + [float(len(LEVELS[f]) - i) for i in range(1, len(LEVELS[f]))] for f in FIELDS}
    u = {f: [0.0] + [float(i) for i in range(1, len(LEVELS[f]))] for f in FIELDS}
    return Model(m, u, 1.0, 1.0)


def test_em_finds_what_separates_matches_from_non_matches_without_labels() -> None:
    same = _levels(name="exact", address="fuzzy_high")
    near = _levels(name="fuzzy_high", address="fuzzy_high")
    other = _levels(name="else", address="else")
    apart = _levels(name="fuzzy", address="else")
    patterns = Counter({same: 300, near: 100, other: 3000, apart: 600})
    model = estimate(patterns, _vague(), prior_pairs=10.0)
    name = dict(zip(LEVELS["name"], model.table[0], strict=True))
    address = dict(zip(LEVELS["address"], model.table[7], strict=True))
    assert name["exact"] > 2 and name["else"] < -2 and address["fuzzy_high"] > 2 and address["else"] < -2
    share = model.matches / (model.matches + model.non_matches)
    assert abs(share - 400 / 4000) < 0.03  # the matching patterns' share, found without a label
    assert model.decide(same, True).decision == "merge" and model.decide(other, True).decision == "distinct"


def test_latin_scope_gives_latin_pairs_their_own_weights_and_leaves_chinese_pairs_alone() -> None:
    prior = load_model()
    people = [("a", "John Smith", "12 Main Street Sydney"), ("b", "Jon Smith", "12 Main Street Sydney"),
              ("c", "Mary Jones", "5 High Road Perth"), ("d", "Mary Jones", "5 High Rd Perth"),
              ("e", "Peter Brown", "9 King Street Hobart"), ("f", "Smith John", "12 Main Street Sydney")]  # fmt: skip
    latin = [prepare(Record(i, name, address=address)) for i, name, address in people]
    chinese = [prepare(Record("z", "杭州智联医疗器械有限公司", phone="+8613812345678"))]
    refitted = refit(latin + chinese, prior)
    assert refitted.latin_model is not None and prior.latin_model is None
    pair = _levels(name="exact", address="fuzzy_high")
    assert refitted.decide(pair, False) == prior.decide(pair, False)  # Chinese pairs: the counted weights
    assert refitted.decide(pair, True) == refitted.latin_model.decide(pair, True)
    assert refitted.explain(pair, latin=True)["weights"] == "estimated on this data (EM)"
    assert refit(chinese, prior) is prior  # no Latin pair: nothing to estimate
