"""Cell values to clean text: what a person sees in the sheet, not what the file format stores."""

from __future__ import annotations

from typing import Any

from mapping import to_text

__all__ = ["cell_text"]

_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"})
_INVISIBLE = str.maketrans({"\ufeff": "", "\u200b": "", "\u00a0": " ", "\u3000": " "})


def cell_text(value: Any) -> str:
    """``13812345678.0`` -> ``"13812345678"``; dates as ISO (midnight datetimes as a date); errors empty.

    Numbers, dates and text that is an integral float (a number column that went through CSV) read as
    ``mapping``'s :func:`to_text` reads payload values; on top of that a sheet's invisible characters
    go, its error values read as empty and a boolean reads as Excel shows it (TRUE / FALSE).
    """
    if isinstance(value, str):
        text = value.translate(_INVISIBLE).strip()
        return "" if text in _ERRORS else to_text(text)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return to_text(value)
