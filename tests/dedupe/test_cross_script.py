"""An English company name meets the Chinese one it transliterates (``dedupe._latin``, issue 21)."""

from __future__ import annotations

from dedupe import LEVELS, Record, count_pairs, prepare
from dedupe._latin import latin_parts
from dedupe.batch import run_batch
from dedupe.compare import compare


def _name_level(a: Record, b: Record) -> str:
    return LEVELS["name"][compare(prepare(a), prepare(b))[0]]


def test_an_english_name_reads_as_city_trade_sound_and_industry() -> None:
    sound, place, family = latin_parts("tianjin xinghang biotech co ltd")
    assert sound == "xinghang" and place is not None and place.short == "天津" and family == "医"
    assert latin_parts("john smith")[:2] == ("johnsmith", None)  # a person's name keeps its words


def test_the_english_and_the_chinese_name_of_one_company_meet_and_merge() -> None:
    chinese = Record("1", "天津星航诊断技术有限公司", contact="黄强", phone="022-41845500")
    english = Record("2", "Tianjin Xinghang Biotech Co., Ltd.", contact="黄强")
    assert prepare(english).city == "天津" and prepare(english).sound == prepare(chinese).sound
    assert _name_level(chinese, english) == "homophone"
    result = run_batch([chinese, english])
    assert result.stats.pairs_by_rule["sound"] == 1
    assert sorted(map(sorted, result.clusters)) == [["1", "2"]]


def test_a_sound_without_a_city_is_only_a_likeness() -> None:
    # two syllables are shared across the country: 安合 in 西安 and an English 'anhe' need more evidence
    assert _name_level(Record("1", "西安安合科技有限公司"), Record("2", "anhe")) == "fuzzy"
    assert _name_level(Record("1", "康俊化工"), Record("2", "Nanjing Fuda Chemical")) == "else"


def test_the_sound_rule_pairs_across_scripts_only() -> None:
    chinese = [
        prepare(Record(str(i), f"{city}星航电子有限公司")) for i, city in enumerate(("杭州", "成都", "西安"))
    ]
    assert count_pairs(chinese)["sound"] == 0  # three Chinese namesakes: the homophone rule's business
    english = prepare(Record("e", "xinghang electronics"))
    assert count_pairs([*chinese, english])["sound"] == 3
    result = run_batch([*chinese, english])
    assert result.stats.pairs_by_rule["sound"] == 3
