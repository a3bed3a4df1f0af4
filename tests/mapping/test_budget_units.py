"""Budget units and ranges (issue 20): a unit in the header or in the cell applies to single values,
ranges and bounds alike; what cannot be read stays in the remark and is counted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import MappingError
from mapping import BudgetRange, load_field_map, parse_budget, read_excel_row
from mapping._spec import normalise_header
from mapping.budget import unit_of

EXCEL = load_field_map("excel")
OPEN = None  # an open-ended range: no upper bound


def _yuan(header: str, cell: str) -> tuple[Decimal | None, Decimal | None]:
    lead, _ = read_excel_row(EXCEL, {"公司": "杭州智联医疗器械有限公司", header: cell}, "f:2")
    return lead.budget_min, lead.budget_max


# header × cell text -> (min, max) in yuan. The three rows of the issue come first.
TABLE: list[tuple[str, str, int, int | None]] = [
    ("预算(万元)", "50-100", 500_000, 1_000_000),
    ("预算(万元)", "30~50", 300_000, 500_000),
    ("预算(万元)", "20以内", 0, 200_000),
    ("预算(万元)", "50", 500_000, 500_000),
    ("预算(万元)", "1.5", 15_000, 15_000),
    ("预算(万元)", "50到100", 500_000, 1_000_000),
    ("预算(万元)", "50至100", 500_000, 1_000_000),
    ("预算(万元)", "50—100", 500_000, 1_000_000),
    ("预算(万元)", "50～100", 500_000, 1_000_000),
    ("预算(万元)", "50 - 100 之间", 500_000, 1_000_000),
    ("预算(万元)", "100以上", 1_000_000, OPEN),
    ("预算(万元)", "100万以上", 1_000_000, OPEN),
    ("预算(万元)", "≥100", 1_000_000, OPEN),
    ("预算(万元)", "100+", 1_000_000, OPEN),
    ("预算(万元)", "不超过50", 0, 500_000),
    ("预算(万元)", "不超过50万", 0, 500_000),
    ("预算(万元)", "50以下", 0, 500_000),
    ("预算(万元)", "50万以下", 0, 500_000),
    ("预算(万元)", "低于50", 0, 500_000),
    ("预算(万元)", "约50左右", 500_000, 500_000),
    ("预算(万元)", "80万", 800_000, 800_000),  # the cell's own unit, same as the header's
    ("预算(万元)", "5000元", 5_000, 5_000),  # the cell's own unit wins over the header's
    ("预算(万元)", "1亿", 100_000_000, 100_000_000),
    ("预算(万元)", "50万-100", 500_000, 1_000_000),
    ("预算（万元）", "50-100", 500_000, 1_000_000),  # full-width brackets
    ("*预算(单位:万元)：", "50-100", 500_000, 1_000_000),
    ("预算/万元", "50-100", 500_000, 1_000_000),
    ("预算金额(万)", "30~50", 300_000, 500_000),
    ("预算(W)", "50-100", 500_000, 1_000_000),
    ("预算(w)", "20以内", 0, 200_000),
    ("预算(千元)", "50-100", 50_000, 100_000),
    ("预算(k)", "500以上", 500_000, OPEN),
    ("预算(K)", "不超过800", 0, 800_000),
    ("预算(百万)", "1-2", 1_000_000, 2_000_000),
    ("预算(百万元)", "3以内", 0, 3_000_000),
    ("预算(元)", "50-100", 50, 100),
    ("预算(元)", "500000", 500_000, 500_000),
    ("预算(元)", "50万以上", 500_000, OPEN),
    ("预算", "50-100", 50, 100),  # no unit anywhere: yuan
    ("预算", "50-100万", 500_000, 1_000_000),
    ("预算", "50万-100", 500_000, 1_000_000),  # the unit written once applies to both ends
    ("预算", "5000-1万", 5_000, 10_000),  # ... unless that turns the range upside down
    ("预算", "20万以内", 0, 200_000),
    ("预算", "100万以上", 1_000_000, OPEN),
    ("预算", "不超过50万", 0, 500_000),
    ("预算", "50万以下", 0, 500_000),
    ("预算", "50万及以上", 500_000, OPEN),
    ("预算", "10w-20w", 100_000, 200_000),
    ("预算", "10W", 100_000, 100_000),
    ("预算", "5k~8k", 5_000, 8_000),
    ("预算", "2百万", 2_000_000, 2_000_000),
    ("budget", "50-100万", 500_000, 1_000_000),
]


@pytest.mark.parametrize(("header", "cell", "low", "high"), TABLE)
def test_header_unit_times_cell_text(header: str, cell: str, low: int, high: int | None) -> None:
    expected = (Decimal(low), None if high is None else Decimal(high))
    assert _yuan(header, cell) == expected


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("50-100", "万", BudgetRange(Decimal(500_000), Decimal(1_000_000))),
        ("20以内", "万", BudgetRange(Decimal(0), Decimal(200_000))),
        ("100以上", "千", BudgetRange(Decimal(100_000), None)),
        ("50", None, BudgetRange(Decimal(50), Decimal(50))),
        ("面议", "万", None),
    ],
)
def test_parse_budget_takes_the_unit_of_the_column(text: str, unit: str | None, expected: object) -> None:
    assert parse_budget(text, unit) == expected


@pytest.mark.parametrize(
    ("written", "unit"),
    [("万元", "万"), ("万", "万"), ("W", "万"), ("w", "万"), ("千元", "千"), ("k", "千"), ("K", "千"),
     ("百万", "百万"), ("百万元", "百万"), ("元", None), ("亿元", "亿"), ("单位:万元", "万")],
)  # fmt: skip
def test_units_as_written(written: str, unit: str | None) -> None:
    assert unit_of(written) == unit


def test_a_unit_that_is_not_money_is_refused() -> None:
    with pytest.raises(MappingError, match="not a unit of yuan"):
        unit_of("公斤")
    with pytest.raises(MappingError, match="not a unit of yuan"):
        parse_budget("50", "斤")


def test_headers_keep_their_name_without_the_unit() -> None:
    assert normalise_header("预算(万元)") == ("预算", "万")
    assert normalise_header("预算金额（单位：千元）") == ("预算金额", "千")
    assert normalise_header("预算(元)") == ("预算", None)
    assert normalise_header("platform") == ("platform", None)  # a trailing "m" is not a unit
    assert EXCEL.column_target("预算(W)") == ("budget", 0, "万")


@pytest.mark.parametrize("cell", ["看情况", "50万-", "五十万", "50%", "1e5"])
def test_unreadable_budget_goes_to_the_remark_and_is_reported(cell: str) -> None:
    lead, findings = read_excel_row(EXCEL, {"公司": "杭州智联", "预算(万元)": cell, "备注": "展会"}, "f:3")
    assert (lead.budget_min, lead.budget_max) == (None, None)
    assert lead.remark == f"展会 | 预算(无法识别): {cell}"
    assert findings.unread == ("budget",)


def test_no_budget_is_not_a_problem() -> None:
    lead, findings = read_excel_row(EXCEL, {"公司": "杭州智联", "预算(万元)": "面议"}, "f:4")
    assert (lead.budget_min, lead.budget_max, lead.remark) == (None, None, None)
    assert findings.unread == ()
