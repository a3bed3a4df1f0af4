"""Budget text to a range in yuan.

"50万" -> (500000, 500000); "50-100万" and "50万-100万" -> (500000, 1000000); "≥50万", ">=50万",
"50万以上", "50万+" -> (500000, None); "≤50万", "50万以内", "不超过50万" -> (0, 500000); "1.2亿";
"100000"; "10w"; "5k". "面议", "待定" and empty text are no budget (None). Anything else raises
:class:`MappingError`, and the field map keeps the raw text in the lead's remark instead of losing it.

``unit`` is the unit a spreadsheet header states ("预算(万元)" -> "万"): it applies to every amount
written without its own unit, in single values, ranges and bounds alike, so under that header "50-100"
is 500,000..1,000,000 and "20以内" is 0..200,000. A unit written in the cell wins over the header's.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from core.errors import MappingError
from mapping._text import fold

__all__ = ["UNITS", "BudgetRange", "parse_budget", "unit_of"]

UNITS = {
    "": Decimal(1),
    "元": Decimal(1),
    "k": Decimal(1000),
    "千": Decimal(1000),
    "w": Decimal(10000),
    "万": Decimal(10000),
    "百万": Decimal(1000000),
    "千万": Decimal(10000000),
    "m": Decimal(1000000),
    "亿": Decimal(100000000),
}
_NO_BUDGET = frozenset(
    {"", "面议", "待定", "未定", "不确定", "不详", "未知", "无", "暂无", "-", "--", "/", "n/a", "na"}
)
_NOISE = re.compile(r"人民币|rmb|cny|[¥￥$\s,]|左右|上下|之间|大概|大约|约|预算|元整")
_AMOUNT = r"(\d+(?:\.\d+)?)(百万|千万|万|亿|千|元|[kwm])?(?:元)?"
_SINGLE = re.compile(_AMOUNT)
_RANGE = re.compile(_AMOUNT + r"(?:-|~|至|到)" + _AMOUNT)
_AT_LEAST = re.compile(
    r"(?:>=|≥|>|大于等于|大于|高于|超过|不低于|不少于|至少|起码|最低)"
    + _AMOUNT
    + r"(?:及?以上)?|"
    + _AMOUNT
    + r"(?:及?以上|\+|起)"
)
_AT_MOST = re.compile(
    r"(?:<=|≤|<|小于等于|小于|低于|少于|不到|不足|不超过|不高于|最多|最高)"
    + _AMOUNT
    + r"(?:及?以[下内])?|"
    + _AMOUNT
    + r"(?:及?以[下内])"
)
_YUAN = Decimal("0.01")


class BudgetRange(NamedTuple):
    min: Decimal
    max: Decimal | None  # None: open-ended ("50万以上")


def unit_of(text: str) -> str | None:
    """A unit as written in a header ("万元", "W", "百万", "千元", "k") -> the key in :data:`UNITS`;
    None for plain yuan; :class:`MappingError` for anything that is not a unit of money."""
    unit = (
        fold(text).strip().lower().removeprefix("单位").lstrip(":").removesuffix("人民币").removesuffix("元")
    )
    unit = {"w": "万", "k": "千", "m": "百万"}.get(unit, unit)
    if unit not in UNITS:
        raise MappingError(f"budget unit {text!r} is not a unit of yuan", field="budget")
    return unit or None


def parse_budget(text: str, unit: str | None = None) -> BudgetRange | None:
    """The yuan range in ``text``, None for no budget; :class:`MappingError` if unreadable.

    ``unit`` (a key of :data:`UNITS`, e.g. "万") applies to the amounts that carry no unit of their own.
    """
    default = unit or ""
    if default not in UNITS:
        raise MappingError(f"budget unit {unit!r} is not a unit of yuan", field="budget")
    cleaned = _NOISE.sub("", fold(text).lower()).replace("～", "~")
    if cleaned in _NO_BUDGET:
        return None
    if match := _RANGE.fullmatch(cleaned):
        low_num, low_unit, high_num, high_unit = match.groups()
        return _range(low_num, low_unit, high_num, high_unit, default, text)
    if match := _AT_LEAST.fullmatch(cleaned):
        num, found = match.group(1) or match.group(3), match.group(2) or match.group(4)
        return BudgetRange(_amount(num, found or default, text), None)
    if match := _AT_MOST.fullmatch(cleaned):
        num, found = match.group(1) or match.group(3), match.group(2) or match.group(4)
        return BudgetRange(Decimal(0), _amount(num, found or default, text))
    if match := _SINGLE.fullmatch(cleaned):
        value = _amount(match.group(1), match.group(2) or default, text)
        return BudgetRange(value, value)
    raise MappingError(f"budget {text.strip()[:40]!r} is not an amount or range of yuan", field="budget")


def _range(
    low_num: str, low_unit: str | None, high_num: str, high_unit: str | None, default: str, text: str
) -> BudgetRange:
    """A unit written on one end only applies to both ("50-100万", "50万-100"), unless that turns the
    range upside down ("5000-1万" is 5,000..10,000 yuan, not 10,000..50,000,000)."""
    high = _amount(high_num, high_unit or low_unit or default, text)
    low = _amount(low_num, low_unit or high_unit or default, text)
    if low_unit is None and high_unit is not None and low > high:
        low = min(low, _amount(low_num, default, text))
    return BudgetRange(min(low, high), max(low, high))


def _amount(number: str, unit: str, original: str) -> Decimal:
    try:
        value = (Decimal(number) * UNITS[unit]).quantize(_YUAN)
    except (InvalidOperation, KeyError) as exc:  # pragma: no cover - the regex admits only these
        raise MappingError(
            f"budget {original.strip()[:40]!r} has an unreadable amount", field="budget"
        ) from exc
    if value > Decimal("1e15"):
        raise MappingError(f"budget {original.strip()[:40]!r} is implausibly large", field="budget")
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()
