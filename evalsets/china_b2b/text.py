"""Character-level helpers: pinyin, homophones, Chinese numerals, and the USCC check codes."""

from __future__ import annotations

from functools import cache
from random import Random

from pypinyin import lazy_pinyin

from evalsets.china_b2b import tables

# --- USCC, 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code, positions 9-17 of a USCC


def uscc_check(first17: str) -> str:
    """The 18th character: 31 - (sum of value * 3^i mod 31) mod 31, as a charset character."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    return len(code) == 18 and all(ch in _USCC_VALUE for ch in code) and uscc_check(code[:17]) == code[17]


def org_check(body8: str) -> str:
    """The 9th character of a GB 11714 organisation code (digits 0-9, letters A=10 .. Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def make_uscc(rng: Random, division: str) -> str:
    """91 (registered by the market regulator, an enterprise) + division code + organisation code."""
    if rng.random() < 0.5:  # codes issued since 2015 look like MA2H3K7T
        body = "MA" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
    else:  # an old organisation code carried over: eight digits
        body = f"{rng.randrange(10**8):08d}"
    first17 = "91" + division + body + org_check(body)
    return first17 + uscc_check(first17)


# --- pinyin and homophones -------------------------------------------------------------------------
@cache
def char_pinyin(ch: str) -> str:
    """Toneless pinyin of one character (ü as v), the way an IME is typed."""
    return lazy_pinyin(ch)[0]


def pinyin(text: str) -> list[str]:
    return [char_pinyin(ch) for ch in text]


@cache
def phrase_pinyin(text: str) -> tuple[str, ...]:
    """Pinyin of a word, polyphones read in context: 重庆 -> chong qing."""
    return tuple(lazy_pinyin(text))


def _homophone_table() -> dict[str, tuple[str, ...]]:
    pool = "".join(
        [
            tables.COMMON_CHARS,
            tables.TRADE_CHARS,
            tables.SURNAMES,
            tables.GIVEN_MALE,
            tables.GIVEN_FEMALE,
            *(d for ind in tables.INDUSTRIES for d in ind.descs),
            *tables.LEGAL_FORMS,
        ]
    )
    by_sound: dict[str, list[str]] = {}
    for ch in dict.fromkeys(pool):  # ordered and unique: the table is the same on every run
        by_sound.setdefault(char_pinyin(ch), []).append(ch)
    return {ch: tuple(o for o in group if o != ch) for group in by_sound.values() for ch in group}


HOMOPHONES: dict[str, tuple[str, ...]] = _homophone_table()


NEAR_FORMS: dict[str, tuple[str, ...]] = {a: (b,) for a, b in tables.NEAR_FORMS.items()}


def typo_spots(text: str, table: dict[str, tuple[str, ...]]) -> list[int]:
    """Positions whose character has a replacement in the table (HOMOPHONES or NEAR_FORMS)."""
    return [i for i, ch in enumerate(text) if table.get(ch)]


def substitute(rng: Random, text: str, table: dict[str, tuple[str, ...]], spots: list[int]) -> str:
    i = rng.choice(spots)
    return text[:i] + rng.choice(table[text[i]]) + text[i + 1 :]


# --- numbers ---------------------------------------------------------------------------------------
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """90 -> 九十, 15 -> 十五, 105 -> 一百零五, 1203 -> 一千二百零三 (0 < n < 10000)."""
    out: list[str] = []
    zero = False
    for unit, value in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(("" if unit == "十" and d == 1 and not out else _DIGITS[d]) + unit)
    return "".join(out)
