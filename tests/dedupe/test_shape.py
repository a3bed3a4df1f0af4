"""Weights shaped to travel (dedupe.shape): ordered levels, soft disagreements floored, and what
that changes for buyers of one company against a namesake elsewhere."""

from __future__ import annotations

import pytest

from dedupe import FIELDS, LEVELS, Record, compare, load_model, prepare
from dedupe.index import MatchIndex
from dedupe.shape import CHAINS, SOFT, SOFT_FLOOR, shape
from dedupe.weights import Model


def test_a_closer_level_never_weighs_less_than_a_farther_one() -> None:
    levels = LEVELS["email"]  # null, exact, domain, else
    shaped = shape("email", levels, [0.0, -0.8, 14.5, -0.6])
    assert shaped[1] == shaped[2] == round((14.5 - 0.8) / 2, 4)
    assert shaped[3] <= shaped[2]
    assert shape("email", levels, [0.0, 9.0, 5.0, -1.0]) == [0.0, 9.0, 5.0, -1.0]  # ordered: untouched


def test_a_soft_disagreement_is_floored_and_an_identity_one_is_not() -> None:
    assert shape("address", LEVELS["address"], [0.0, 4.4, -6.6, -16.8])[2:] == [-SOFT_FLOOR, -SOFT_FLOOR]
    assert shape("uscc", LEVELS["uscc"], [0.0, 14.0, -14.7])[2] == -14.7


def test_every_model_is_shaped_even_one_counted_from_odd_data() -> None:
    m = {name: [0.0] + [1.0] * (len(LEVELS[name]) - 1) for name in FIELDS}
    u = {name: [0.0] + [1.0] * (len(LEVELS[name]) - 1) for name in FIELDS}
    m["address"][LEVELS["address"].index("else")] = 0.0  # "an address never differs in a match"
    m["address"][LEVELS["address"].index("fuzzy_high")] = 10_000.0
    u["address"][LEVELS["address"].index("else")] = 10_000.0
    m["email"][LEVELS["email"].index("exact")] = 0.0
    model = Model(m, u)
    table = dict(zip(FIELDS, model.table, strict=True))
    assert table["address"][LEVELS["address"].index("else")] == -SOFT_FLOOR
    assert table["email"][1] >= table["email"][2]
    for name, chain in CHAINS.items():
        weights = [table[name][LEVELS[name].index(level)] for level in chain]
        assert weights == sorted(weights, reverse=True), name
    for name, soft in SOFT.items():
        assert all(table[name][LEVELS[name].index(level)] >= -SOFT_FLOOR for level in soft)


def test_two_buyers_of_one_registered_company_meet_and_a_namesake_elsewhere_does_not() -> None:
    """The demo's case: the same registered name in the same city, two buyers with their own mobiles
    and addresses. Before shaping it scored -8 bits (an address that differs weighed -16.8)."""
    model = load_model()
    first = Record(
        "1", "吉医器械(长春)有限公司", "王经理", "188 4798 7843", address="长春市朝阳区人民大街100号"
    )
    second = Record("2", "吉医器械(长春)有限公司", "李工", "135 6905 8783", address="长春市绿园区青年路8号")
    elsewhere = Record(
        "3", "吉医器械(杭州)有限公司", "赵总", "139 0000 1111", address="杭州市西湖区文三路9号"
    )
    same = model.decide(compare(prepare(first), prepare(second)))
    assert same.decision in {"merge", "review"}, same
    assert model.decide(compare(prepare(first), prepare(elsewhere))).decision != "merge"


def _levels(**named: str) -> tuple[int, ...]:
    return tuple(LEVELS[f].index(named.get(f, "null")) for f in FIELDS)


def test_another_person_is_counted_once_however_many_person_fields_say_so() -> None:
    model = load_model()
    weight = {f: model.table[i] for i, f in enumerate(FIELDS)}
    phone_else, contact_else = weight["phone"][2], weight["contact"][3]
    assert phone_else < 0 and contact_else < 0
    base = model.score(_levels(name="short", region="exact"))
    both = model.score(_levels(name="short", region="exact", phone="else", contact="else"))
    assert both == pytest.approx(base + min(phone_else, contact_else))  # not the sum of the two
    one = model.score(_levels(name="short", region="exact", phone="else"))
    assert one == pytest.approx(base + phone_else)
    agreeing = model.score(_levels(name="short", region="exact", phone="exact", contact="exact"))
    assert agreeing == pytest.approx(base + weight["phone"][1] + weight["contact"][1])  # agreements all count
    explained = model.explain(
        _levels(name="short", region="exact", phone="else", email="else", contact="else")
    )
    shown = sum(entry["weight"] for entry in explained["fields"].values())
    assert round(explained["prior"] + shown, 3) == explained["score"]
    assert (
        sum(1 for e in explained["fields"].values() if e.get("note") == "another person: counted once") == 2
    )


def test_two_buyers_of_one_company_at_one_address_are_one_customer() -> None:
    """The demo's 智联 case: trade name, city, industry and street agree; buyer, phone differ."""
    a = prepare(
        Record("a", "智联医械(杭州)有限公司", "徐娜总", "+8613528399301", "", "浙江省杭州市萧山区金城路438号")
    )
    b = prepare(Record("b", "杭州智联医疗", "刘晓东", "+8618607820800", "", "浙江省杭州市萧山区金城路438号"))
    assert load_model().decide(compare(a, b)).decision == "merge"
    elsewhere = prepare(
        Record("c", "苏州智联医疗", "刘晓东", "+8618607820801", "", "江苏省苏州市金城路438号")
    )
    assert load_model().decide(compare(a, elsewhere)).decision == "distinct"


def test_the_buyers_full_name_identifies_like_the_buyers_phone() -> None:
    """A short name in the same city with the same buyer merges; with another buyer it does not."""
    model = load_model()
    a = prepare(Record("a", "海口宏达化学有限公司", "王建国", "+8613800000001"))
    same_buyer = prepare(Record("b", "宏达化学科技(海口)", "王建国"))  # no phone given
    other_buyer = prepare(Record("c", "宏达化学科技(海口)", "李明"))
    assert model.decide(compare(a, same_buyer)).decision == "merge"
    assert model.decide(compare(a, other_buyer)).decision == "distinct"


def test_a_short_name_at_the_same_address_in_one_city_reaches_the_review_queue() -> None:
    """The demo's pairs (calibrate.QUEUE_BAND): another buyer, another phone, the same street in one
    city, one name the other cut short; 86% of such pairs were matches on china_b2b, so an admin
    sees them rather than the matcher calling them distinct."""
    pairs = [
        (
            Record(
                "1",
                "长春吉医",
                "李秀英",
                "+8618877791795",
                "sales88@jiyi-qx.cn",
                "吉林省长春市朝阳区人民大街5688号",
            ),
            Record("5", "吉医器械(长春)有限公司", "林芳", "+8618847987843", "", "吉林省长春市朝阳区"),
        ),
        (
            Record("12", "西安秦康", "刘晓东", "+8617764937334", "", "陕西省西安市雁塔区"),
            Record("13", "西安秦康康复器械有限公司", "徐勇", "", "", "陕西省西安市雁塔区"),
        ),
    ]
    for first, second in pairs:
        index = MatchIndex()
        index.add(first)
        assert [pair.decision for pair in index.match(second)] == ["review"]
