"""A landline answered for several companies (a park's switchboard) is not a buyer's own number."""

from __future__ import annotations

from collections import defaultdict

from dedupe.batch import run_batch
from dedupe.compare import FIELDS, LEVELS
from dedupe.generate import generate
from dedupe.index import MatchIndex, ScoredPair
from dedupe.records import Record, prepare

PHONE = FIELDS.index("phone")
SWITCHBOARD = "0571-8888 1234"
TENANTS = ("杭州鼎盛物流有限公司", "杭州恒远软件有限公司", "杭州佳美食品有限公司", "杭州瑞博化工有限公司")


def _phone_levels(pairs: list[ScoredPair]) -> set[str]:
    return {LEVELS["phone"][pair.levels[PHONE]] for pair in pairs}


def test_a_number_is_a_switchboard_once_two_companies_give_it() -> None:
    index = MatchIndex()
    seen = []
    for i, name in enumerate(TENANTS):
        record = prepare(Record(f"t{i}", name, phone=SWITCHBOARD))
        seen.append(index.phone_shared(record))
        index.add(record)
    assert seen == [False, True, True, True]


def test_a_record_with_only_the_parks_number_is_not_merged_into_a_tenant() -> None:
    index = MatchIndex()
    for i, name in enumerate(TENANTS):
        index.add(Record(f"t{i}", name, phone=SWITCHBOARD))
    visitor = Record("v", "", "王伟", SWITCHBOARD)
    pairs = index.match(visitor)
    assert all(pair.decision != "merge" for pair in pairs)
    assert _phone_levels(pairs) <= {"shared"}
    # the same record with a buyer's own number is merged: the number, not the record, decides
    own = MatchIndex()
    own.add(Record("t0", TENANTS[0], phone="13812345678"))
    assert [pair.decision for pair in own.match(Record("v", "", "王伟", "138 1234 5678"))] == ["merge"]


def test_one_company_written_three_ways_keeps_its_own_number() -> None:
    names = ("智联医械(杭州)有限公司", "杭州志联医疗器械", "Hangzhou Zhilian Medical Co., Ltd.")
    index = MatchIndex()
    pairs = [
        pair for i, name in enumerate(names) for pair in index.add(Record(f"z{i}", name, phone=SWITCHBOARD))
    ]
    assert _phone_levels(pairs) == {"exact"}
    assert not index.phone_shared(prepare(Record("z3", "智联", phone=SWITCHBOARD)))


def test_the_generator_puts_several_companies_behind_one_switchboard() -> None:
    rows = generate(3000, seed=13)
    companies: dict[str, set[str]] = defaultdict(set)
    for record, entity in rows:
        phone = prepare(record).phone
        if phone is not None:
            companies[phone].add(entity)
    assert max(len(found) for found in companies.values()) >= 3


def test_the_full_run_marks_the_same_pairs_shared_as_the_index() -> None:
    rows = [Record(f"t{i}", name, phone=SWITCHBOARD) for i, name in enumerate(TENANTS)]
    rows.append(Record("v", "杭州鼎盛物流", "王伟", SWITCHBOARD))
    result = run_batch(rows, processes=1)
    index = MatchIndex()
    incremental = [pair for row in rows for pair in index.add(row)]
    key = lambda pair: (pair.left, pair.right, pair.levels, pair.decision)  # noqa: E731
    assert sorted(map(key, result.merges + result.reviews)) == sorted(map(key, incremental))
    assert "shared" in _phone_levels(incremental)
