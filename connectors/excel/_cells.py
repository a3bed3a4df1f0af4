"""Cell values to clean text: what a person sees in the sheet, not what the file format stores."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

__all__ = ["cell_text"]

_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"})
_INTEGRAL_FLOAT_TEXT = re.compile(r"[+-]?\d+\.0+")
_INVISIBLE = str.maketrans({"\ufeff": "", "\u200b": "", "\u00a0": " ", "\u3000": " "})


def cell_text(value: Any) -> str:
    """``13812345678.0`` -> ``"13812345678"``; dates as ISO (midnight datetimes as a date); errors empty.

    A text cell holding an integral float (a number column that went through CSV) loses its ``.0``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.translate(_INVISIBLE).strip()
        if text in _ERRORS:
            return ""
        if _INTEGRAL_FLOAT_TEXT.fullmatch(text):
            return text.split(".", 1)[0]
        return text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds") if not value.microsecond else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()
