"""Issue 21: dedupe on data it did not write (evalsets/china_b2b's kinds of variation).

Each case below was lost or mis-merged on china_b2b before the fix: industry words that vary within
one company, branch offices, the review queue flooded with pairs nothing identifies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedupe.compare import FIELDS, LEVELS, compare
from dedupe.index import run_batch
from dedupe.records import Record, prepare
from hub.cli.main import app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "dedupe"


def _clusters(*records: Record) -> list[list[str]]:
    return sorted(sorted(c) for c in run_batch(list(records)).clusters)


def test_one_company_writing_its_industry_two_ways_is_merged() -> None:
    # 医疗 / 医疗科技 are one family: before, "another industry" held this pair at review
    a = Record("a", "哈尔滨安星医疗", phone="15726592518", address="黑龙江省哈尔滨市香坊区解放路1号C座1809室")
    b = Record(
        "b", "哈尔滨安星医疗科技有限公司", phone="157 2659 2518", address="哈尔滨市香坊区解放路1号C座1809室"
    )
    assert _clusters(a, b) == [["a", "b"]]
    levels = compare(prepare(a), prepare(b))
    assert LEVELS["industry"][levels[FIELDS.index("industry")]] == "exact"


def test_another_industry_family_still_keeps_a_namesake_apart() -> None:
    a = Record("a", "杭州智联医疗器械有限公司", contact="王伟")
    b = Record("b", "杭州智联物流有限公司", contact="李强")
    assert _clusters(a, b) == [["a"], ["b"]]


def test_a_branch_is_not_its_head_office_even_on_the_same_switchboard() -> None:
    head = Record("h", "杭州智联医疗器械有限公司", phone="0571-88881234")
    branch = Record("s", "杭州智联医疗器械有限公司上海分公司", phone="0571-88881234")
    p = prepare(branch)
    assert p.branch and p.city == "上海"
    assert _clusters(head, branch) == [["h"], ["s"]]


def test_a_branch_written_short_in_its_own_city_is_the_branch() -> None:
    branch = Record("s", "杭州智联医疗器械有限公司上海分公司", contact="王建国", phone="13812345678")
    short = Record("t", "上海智联", contact="王总", phone="138 1234 5678")
    assert _clusters(branch, short) == [["s", "t"]]


def test_two_spellings_of_one_branch_meet() -> None:
    a = Record("a", "蓝联诊断哈尔滨分公司", phone="17820282657")
    b = Record("b", "石家庄蓝联诊断技术股份有限公司哈尔滨分公司", phone="178 2028 2657")
    assert prepare(a).core == prepare(b).core
    assert _clusters(a, b) == [["a", "b"]]


def test_a_pair_nothing_identifies_is_not_queued_for_review() -> None:
    # same surname-and-title contact, no name, phone, USCC or address in common: nothing to decide on
    a = Record("a", "创宇", contact="梁玲")
    b = Record("b", "创宇化工", contact="韩总")
    assert run_batch([a, b]).reviews == []


def test_eval_reports_recall_by_kind_blocking_recall_and_the_queue_by_threshold() -> None:
    args = ["dedupe", "eval", "--json", "--records", str(FIXTURE / "records.csv")]
    result = CliRunner().invoke(app, [*args, "--truth", str(FIXTURE / "truth.csv")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = data["diagnostics"]
    assert {"uscc", "phone", "core", "any_rule", "compared"} <= set(found["blocking_recall"])
    assert {"all", "shares_phone", "shares_uscc", "shares_neither_nor_core"} <= set(found["recall_by_kind"])
    assert found["recall_by_kind"]["all"]["recall"] == pytest.approx(data["recall"], abs=1e-4)
    queue = found["review_queue"]
    assert queue["pairs"] == data["review_pairs"] and queue["queue_entries"] == data["review_queue"]
    assert 0 < data["review_queue"] <= data["review_pairs"]  # one entry per two clusters
    assert queue["queue_per_1000_records"] <= 50 and queue["merge_precision"] >= 0.99
    for key in ("pairs", "queue_entries"):
        sizes = [row[key] for row in queue["by_review_threshold"].values()]
        assert sizes == sorted(sizes, reverse=True)  # a higher threshold never queues more


def test_eval_prints_the_queue_size_by_threshold() -> None:
    args = ["dedupe", "eval", "--records", str(FIXTURE / "records.csv")]
    result = CliRunner().invoke(app, [*args, "--truth", str(FIXTURE / "truth.csv")])
    assert result.exit_code == 0, result.output
    assert "review queue by review threshold" in result.output and ">= 4.0:" in result.output
