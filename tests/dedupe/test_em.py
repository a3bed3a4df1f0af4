"""Weights estimated without labels on the data being matched (issue 21, ``dedupe.em``)."""

from __future__ import annotations

from collections import Counter

from dedupe import FIELDS, LEVELS, Record, load_model, prepare
from dedupe.batch import run_batch
from dedupe.em import estimate, refit, sample_patterns
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
    refitted = refit(latin + chinese, prior, "latin")
    assert refitted.latin_model is not None and prior.latin_model is None
    pair = _levels(name="exact", address="fuzzy_high")
    assert refitted.decide(pair, False) == prior.decide(pair, False)  # Chinese pairs: the counted weights
    assert refitted.decide(pair, True) == refitted.latin_model.decide(pair, True)
    assert refitted.explain(pair, latin=True)["weights"] == "estimated on this data (EM)"
    assert refit(chinese, prior, "latin") is prior  # no Latin pair: nothing to estimate


def test_name_scope_estimates_the_name_alone_and_the_batch_run_keeps_the_estimate() -> None:
    """On data where a name cut short in one city (兴业精密 / 兴业精密机械) goes with the same phone as
    often as an identical name does, EM trusts 'short' more than the counted weights; every other
    field keeps its counted weights."""
    prior = load_model()
    short_same_phone = _levels(name="short", region="exact", phone="exact")
    same_same_phone = _levels(name="exact_city", region="exact", phone="exact")
    short_other = _levels(name="short", region="exact", contact="else")
    other = _levels(name="else", region="exact", phone="else", contact="else")
    patterns = Counter({short_same_phone: 400, same_same_phone: 400, short_other: 300, other: 5000})
    estimated = estimate(patterns, prior, fields=("name",))
    short = LEVELS["name"].index("short")
    assert estimated.table[0][short] > prior.table[0][short] + 1
    for old, new in zip(prior.table[1:], estimated.table[1:], strict=True):
        assert all(abs(a - b) < 1e-6 for a, b in zip(old, new, strict=True))
    records = [prepare(Record("1", "温州兴业精密机械有限公司", phone="13812345678")),
               prepare(Record("2", "兴业精密(温州)", phone="13812345678"))]  # fmt: skip
    result = run_batch(records, prior, em="name")
    assert result.index.model.note.startswith("EM (name) on 1 candidate pairs")
    assert run_batch(records, prior).index.model is prior


def test_sample_patterns_compares_about_the_asked_number_of_pairs() -> None:
    records = [
        prepare(Record(str(i), "杭州智联医疗器械有限公司", phone=f"+86138000000{i % 10:02d}"))
        for i in range(60)
    ]
    candidates = [list(range(i)) for i in range(60)]  # every older record
    everything = sum(sample_patterns(records, candidates, sample=10**6).values())
    assert everything == 60 * 59 // 2
    assert sum(sample_patterns(records, candidates, sample=600).values()) < everything / 2
