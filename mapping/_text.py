"""Text helpers shared by the normalisers: width folding, whitespace, Chinese script, cell text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

__all__ = [
    "collapse_spaces",
    "fold",
    "has_cjk",
    "is_cjk",
    "to_simplified",
    "to_text",
]

_SPACES = re.compile(r"\s+")
# NFKC leaves these alone; spreadsheets and IMEs produce them.
_EXTRA = str.maketrans(
    {"\u3000": " ", "\u00a0": " ", "\u200b": "", "\ufeff": "", "\u2014": "-", "\u2013": "-"}
)
_INTEGRAL_FLOAT_TEXT = re.compile(r"[+-]?\d+\.0+")


def fold(text: str) -> str:
    """NFKC (full width -> half width, compatibility forms) plus the few spaces and dashes it misses."""
    return unicodedata.normalize("NFKC", text).translate(_EXTRA)


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")  # the ranges of is_cjk


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_changes() -> dict[str, tuple[str, ...]] | None:
    """Every key of OpenCC's t2s dictionary that changes the text, filed under one of its characters.

    OpenCC replaces, left to right, the longest key found at each position by its value and keeps
    any other character; so a text that contains none of the keys whose value differs from them comes
    back unchanged. A key is filed under a character of it that is itself traditional (rare in
    simplified text), else under its last character. None if the dictionary is not one plain round.
    """
    from opencc_purepy.union_cache import UnionKey

    converter = _t2s()
    refs = converter._get_dict_refs("t2s")
    if refs.round_2 is not None or refs.round_3 is not None:
        return None
    mapping: dict[str, str] = converter.union_cache.ensure_indexed(UnionKey.T2S).merged_map
    traditional = {key for key, value in mapping.items() if len(key) == 1 and key != value}
    filed: dict[str, list[str]] = {}
    for key, value in mapping.items():
        if key != value:
            char = next((c for c in key if c in traditional), key[-1])
            filed.setdefault(char, []).append(key)
    return {char: tuple(keys) for char, keys in filed.items()}


def _t2s_changes_text(text: str) -> bool:
    """Could OpenCC t2s change ``text``? False only when it cannot (see ``_t2s_changes``)."""
    changes = _t2s_changes()
    if changes is None:
        return True
    for char in text:
        keys = changes.get(char)
        if keys is not None and any(key in text for key in keys):
            return True
    return False


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese (OpenCC t2s); text without CJK is returned untouched."""
    if not has_cjk(text) or not _t2s_changes_text(text):
        return text
    return str(_t2s().convert(text))


def to_text(value: Any) -> str:
    """A payload or cell value as clean text: ``13812345678.0`` -> ``"13812345678"``, dates as ISO.

    ``None`` is the empty string. Lists are joined with ``", "`` (vendors send multi-choice answers
    as lists). Text that is an integral float (a number column saved to CSV) loses its ``.0``.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        if _INTEGRAL_FLOAT_TEXT.fullmatch(text):
            return text.split(".", 1)[0]
        return text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (to_text(v) for v in value) if t)
    return str(value).strip()
