"""Levels, weights, decisions, explanations, refinement from reviews, and survivorship."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from dedupe import FIELDS, LEVELS, MemberState, Record, compare, load_model, prepare, survive
from dedupe.weights import Model


def _levels(a: Record, b: Record) -> dict[str, str]:
    return {
        name: LEVELS[name][level] for name, level in zip(FIELDS, compare(prepare(a), prepare(b)), strict=True)
    }


def test_each_field_lands_on_its_level() -> None:
    hz = Record(
        "a",
        "杭州智联医疗器械有限公司",
        "王伟(采购部)",
        "138 1234 5678",
        "wang@zhilian.com",
        "杭州市西湖区文三路90号",
    )
    assert _levels(
        hz, Record("b", "智联医械(杭州)有限公司", "王总", "+86 13812345678", "li@zhilian.com")
    ) == {
        "name": "exact_city",
        "region": "exact",
        "industry": "exact",
        "phone": "exact",
        "email": "domain",
        "uscc": "null",
        "contact": "surname",
        "address": "null",
    }
    assert _levels(hz, Record("c", "杭州志联医疗器械"))["name"] == "homophone"
    assert _levels(hz, Record("d", "杭州智联软件有限公司"))["name"] == "trade"

    assert _levels(hz, Record("e", "苏州智联医疗器械有限公司"))["region"] == "other_province"
    assert _levels(hz, Record("f", "宁波智联医疗器械有限公司"))["region"] == "other_city"
    assert _levels(hz, Record("g", "", address="西湖区文三路90号华星大厦"))["address"] == "fuzzy_high"


def test_free_mail_domains_are_not_company_evidence() -> None:
    a = Record("a", "杭州智联医疗器械", email="wangwei@163.com")
    assert _levels(a, Record("b", "杭州华信软件", email="lina@163.com"))["email"] == "else"


def test_packaged_weights_are_ordered_like_the_evidence() -> None:
    model = load_model()
    table = model.to_json()["weights"]
    assert table["phone"]["exact"] > 5 > table["phone"]["else"]
    assert table["uscc"]["exact"] > 5 and table["uscc"]["else"] < -5
    # counted among *blocked* pairs, where namesakes in other cities abound: the same name is strong
    # evidence in the same city (a name is registered once per city), weak with a city unknown, and in
    # another city nothing the region does not say already (dedupe.shape: said once)
    assert table["name"]["exact_city"] > 10 > 2 > table["name"]["exact"]
    assert table["name"]["exact_elsewhere"] == 0.0
    assert table["name"]["trade"] < -5
    assert table["region"]["other_city"] < 0 and table["industry"]["else"] < 0
    assert model.review < model.merge


def test_explanation_names_every_field_and_hides_personal_values() -> None:
    model = load_model()
    a, b = (
        prepare(Record("a", "杭州智联医疗器械", "王伟", "13812345678")),
        prepare(Record("b", "智联医械(杭州)", "王伟", "13812345678")),
    )
    explanation = model.explain(compare(a, b), {"name": (a.core, b.core)})
    assert set(explanation["fields"]) == set(FIELDS)
    assert explanation["decision"] == "merge" and explanation["fields"]["name"]["values"] == [
        "智联医械",
        "智联医械",
    ]
    assert "13812345678" not in json.dumps(explanation, ensure_ascii=False)
    assert "王伟" not in json.dumps(explanation, ensure_ascii=False)
    total = explanation["prior"] + sum(f["weight"] for f in explanation["fields"].values())
    assert abs(total - explanation["score"]) < 0.01


def test_admin_decisions_move_the_weights() -> None:
    model = load_model()
    levels = compare(
        prepare(Record("a", "杭州智联医疗器械", phone="13812345678")),
        prepare(Record("b", "杭州智联软件", phone="13812345678")),
    )
    rejected = model.refine([(levels, False)] * 200)
    approved = model.refine([(levels, True)] * 200)
    assert rejected.score(levels) < model.score(levels) < approved.score(levels)
    again = Model.from_json(json.loads(json.dumps(approved.to_json())))
    assert again.score(levels) == approved.score(levels)


def test_survivorship_rules_per_field() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    members = [
        MemberState(
            1,
            {
                "name": "杭州智联医疗器械有限公司",
                "name_norm": "智联医械",
                "phone": "+8613800000001",
                "city": "杭州市",
                "owner": "zhang",
            },
            t0,
            "douyin",
        ),
        MemberState(
            2,
            {
                "name": "智联医械(杭州)有限公司",
                "name_norm": "智联医械",
                "phone": "+8613800000002",
                "city": "杭州",
                "owner": "li",
            },
            t0 + timedelta(days=2),
            "website",
        ),
        MemberState(
            3,
            {
                "name": "杭州智联医疗器械有限公司",
                "name_norm": "智联医械",
                "phone": None,
                "city": "杭州市西湖区",
                "owner": None,
            },
            t0 + timedelta(days=5),
            "erp",
        ),
    ]
    values, winners = survive(members, golden_id=1)
    assert values["name"] == "杭州智联医疗器械有限公司" and winners["name"]["rule"] == "most_complete_name"
    assert winners["name"]["why"].startswith(
        "most complete registered name (legal form 有限公司, region 杭州)"
    )
    assert values["phone"] == "+8613800000001"  # the golden's own; the others' become contacts
    assert values["city"] == "杭州市西湖区" and winners["city"]["member"] == 3
    assert winners["city"]["rule"] == "source_priority"
    assert values["owner"] == "zhang"  # the golden's own owner stays
    assert winners["name_norm"]["member"] == winners["name"]["member"]


def test_the_mobile_range_shortcut_agrees_with_normalise_phone() -> None:
    import random

    from core.errors import MappingError
    from dedupe._fields import phone_e164 as _phone_e164
    from mapping import normalise_phone

    rng = random.Random(11)
    for _ in range(3000):
        digits = str(rng.randint(10**10, 2 * 10**10 - 1))
        for text in (
            digits,
            f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}",
            f"86{digits}",
            f"({digits[:3]}){digits[3:]}",
        ):
            try:
                expected: str | None = normalise_phone(text).e164
            except MappingError:
                expected = None
            assert _phone_e164(text) == expected, text


def test_a_landline_area_code_places_a_record_without_any_place_name() -> None:
    assert prepare(Record("a", "", phone="0571-88881234")).city == "杭州"
    assert prepare(Record("b", "", phone="13812345678")).city is None  # a mobile says nothing of where


def test_a_name_cut_short_says_nothing_of_the_industry() -> None:
    """特鹏建筑 is 特鹏建筑材料 cut after 建筑: its industry word (family 建) is a piece of the
    other's (建筑材料, family 化), not another trade; 特鹏化工 is another trade."""
    full = Record("a", "郑州特鹏建筑材料有限公司")
    assert _levels(full, Record("b", "郑州特鹏建筑"))["industry"] == "null"
    assert _levels(full, Record("c", "郑州特鹏物流"))["industry"] == "else"
