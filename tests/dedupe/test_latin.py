"""Latin-script names: their own merge threshold in the model, and words in any order."""

from __future__ import annotations

import json

from dedupe import LEVELS, Record, compare, load_model, prepare, run_batch
from dedupe.weights import Model

LATIN = (
    Record("a", "Lachlan Berry", "Anna", address="69 Giblin Street Killarney 4814"),
    Record("b", "Lachlan", "Ben", address="69 Giblin Street, Killarney 4184"),
)
CHINESE = (
    Record("c", "智联有限公司", "王伟", address="文三路90号华星大厦"),
    Record("d", "智联众创有限公司", "李强", address="文三路90号华星大厦B座"),
)


def test_a_latin_pair_between_the_two_thresholds_merges_where_a_chinese_one_does_not() -> None:
    model = load_model()
    latin, chinese = compare(*map(prepare, LATIN)), compare(*map(prepare, CHINESE))
    assert latin == chinese  # the same levels, so the same score
    score = model.score(latin)
    latin_merge, _ = model.thresholds(latin=True)
    chinese_merge, chinese_review = model.thresholds(latin=False)
    assert latin_merge <= score < chinese_merge
    assert [sorted(c) for c in run_batch(LATIN).clusters] == [["a", "b"]]
    result = run_batch(CHINESE)
    assert sorted(map(sorted, result.clusters)) == [["c"], ["d"]]
    # below the Chinese review threshold (just under merge, issue 21) it is not queued either
    assert [p.decision for p in result.reviews] == (["review"] if score >= chinese_review else [])


def test_a_pair_with_one_chinese_name_is_decided_on_the_chinese_thresholds() -> None:
    a, b = prepare(Record("a", "Zhilian")), prepare(Record("b", "智联有限公司"))
    assert a.latin and not b.latin
    result = run_batch([Record("a", "Lachlan Berry"), Record("b", "Lachlan Berry 智联")])
    assert all(not p.latin for p in result.merges + result.reviews)


def test_latin_names_match_in_any_word_order_and_without_a_given_name() -> None:
    def level(x: str, y: str) -> str:
        return LEVELS["name"][compare(prepare(Record("a", x)), prepare(Record("b", y)))[0]]

    assert level("Lachlan Berry", "Berry Lachlan") == "exact"
    assert level("Lombardi", "Rosa Lombardi") == "short"
    assert level("Kirra Brock", "Brock Kirar") == "fuzzy_high"
    assert level("Kyle Smith", "Mia Jones") == "else"


def test_latin_thresholds_round_trip_and_default_to_the_chinese_ones() -> None:
    model = load_model()
    again = Model.from_json(json.loads(json.dumps(model.to_json())))
    assert again.thresholds(latin=True) == model.thresholds(latin=True)
    assert model.refine([]).thresholds(latin=True) == model.thresholds(latin=True)
    data = json.loads(json.dumps(model.to_json()))
    del data["thresholds"]["latin_merge"], data["thresholds"]["latin_review"]
    older = Model.from_json(data)
    assert older.thresholds(latin=True) == older.thresholds(latin=False) == model.thresholds(latin=False)
    explained = model.explain(compare(*map(prepare, LATIN)), latin=True)
    assert explained["decision"] == "merge" and explained["thresholds"]["script"] == "latin"
