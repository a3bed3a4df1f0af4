"""Budget text to a yuan range."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import MappingError
from mapping import BudgetRange, parse_budget

W = Decimal(10000)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("50万", 500000, 500000),
        ("50-100万", 500000, 1000000),
        ("50万-100万", 500000, 1000000),
        ("50万~100万", 500000, 1000000),
        ("50至100万", 500000, 1000000),
        ("100万-50万", 500000, 1000000),  # upside down: put right way up
        ("≥50万", 500000, None),
        (">=50万", 500000, None),
        ("50万以上", 500000, None),
        ("50万+", 500000, None),
        ("≤50万", 0, 500000),
        ("50万以内", 0, 500000),
        ("不超过50万", 0, 500000),
        ("1.2亿", 120000000, 120000000),
        ("100000", 100000, 100000),
        ("10w", 100000, 100000),
        ("10W", 100000, 100000),
        ("5k", 5000, 5000),
        ("50万元", 500000, 500000),
        ("￥1,000,000元", 1000000, 1000000),
        ("约50万左右", 500000, 500000),
        ("５０万", 500000, 500000),
        ("0.5万", 5000, 5000),
        ("50万到1亿", 500000, 100000000),
    ],
)
def test_examples(text: str, low: int, high: int | None) -> None:
    expected = BudgetRange(Decimal(low), None if high is None else Decimal(high))
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", ["面议", "", "  ", "待定", "-"])
def test_no_budget(text: str) -> None:
    assert parse_budget(text) is None


@pytest.mark.parametrize("text", ["lots", "50万-", "五十万", "1e5", "50%"])
def test_unreadable_says_so(text: str) -> None:
    with pytest.raises(MappingError, match="not an amount") as caught:
        parse_budget(text)
    assert caught.value.field == "budget"


AMOUNT = st.decimals(min_value=0, max_value=100000, places=1, allow_nan=False, allow_infinity=False)
UNIT = st.sampled_from(["", "万", "w", "亿", "元"])


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(AMOUNT, UNIT, AMOUNT, UNIT, st.sampled_from(["-", "~", "至", "到"]))
def test_ranges_are_ordered_and_non_negative(a: Decimal, ua: str, b: Decimal, ub: str, sep: str) -> None:
    result = parse_budget(f"{a}{ua}{sep}{b}{ub}")
    assert result is not None
    assert Decimal(0) <= result.min
    assert result.max is not None and result.min <= result.max


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(AMOUNT, UNIT, st.sampled_from(["≥{}", ">={}", "{}以上", "{}+"]))
def test_open_ended_ranges(a: Decimal, unit: str, template: str) -> None:
    result = parse_budget(template.format(f"{a}{unit}"))
    assert result is not None and result.max is None and result.min >= 0


@settings(deadline=None)  # CI machines are shared: time is not the property
@given(st.integers(min_value=0, max_value=10**6))
def test_wan_is_ten_thousand(n: int) -> None:
    assert parse_budget(f"{n}万") == BudgetRange(n * W, n * W)
