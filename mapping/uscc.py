"""Unified Social Credit Codes (统一社会信用代码, GB 32100-2015).

18 characters: registering authority (1), organisation category (1), administrative division (6
digits), organisation code (9), check character (1). The alphabet has 31 characters (no I, O, S, V,
Z); the check character is ``31 - (sum of value * weight over the first 17) mod 31``, where 31 maps
to 0. Every weight is non-zero modulo the prime 31, so a change to any one character is caught.
"""

from __future__ import annotations

import re

from core.errors import MappingError
from mapping._text import fold

__all__ = ["USCC_ALPHABET", "USCC_WEIGHTS", "uscc_check_char", "validate_uscc"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_DROP = re.compile(r"[\s\-_]")


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters (already upper-case, in the alphabet)."""
    if len(first17) != 17:
        raise ValueError("the check character is computed over exactly 17 characters")
    total = sum(_VALUES[ch] * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(text: str) -> str:
    """The code, upper-case without spaces or dashes; :class:`MappingError` (field ``uscc``) if invalid."""
    code = _DROP.sub("", fold(text)).upper()
    if not code:
        raise MappingError("uscc is empty", field="uscc")
    if len(code) != 18:
        raise MappingError(f"uscc must have 18 characters, not {len(code)}", field="uscc")
    bad = sorted({ch for ch in code if ch not in _VALUES})
    if bad:
        raise MappingError(
            f"uscc has characters outside the GB 32100 alphabet: {''.join(bad)} (no I, O, S, V, Z)",
            field="uscc",
        )
    if not code[2:8].isdigit():
        raise MappingError(
            "uscc characters 3-8 must be digits (the administrative division code)", field="uscc"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise MappingError(
            f"uscc check character is {code[17]}, expected {expected}: a character is mistyped",
            field="uscc",
        )
    return code
