"""Comparison in levels, the Splink way: each field of a pair lands on exactly one ordered level.

- name: null, exact_city (same core, same city: a name is registered once per city), exact (same
  core, a city unknown or other), homophone (same pinyin), short (one is the short name of the
  other: 秦康 / 秦康康复器械), trade (same trade name, another industry word), fuzzy_high
  (rapidfuzz Indel similarity >= 0.90), fuzzy (>= 0.75), else;
- region: null, exact (same city), same_province (a city on one side only), other_city,
  other_province;
- industry: null, exact, else;
- phone: null, exact (E.164), else;
- email: null, exact, domain (same company mail domain), else;
- uscc: null, exact, else;
- contact: null, exact, surname (王总 vs 王伟), else;
- address: null, fuzzy_high (partial ratio >= 90), fuzzy (>= 70), else.

A level is an index into the field's tuple, so a pair's comparison is a tuple of small ints that the
weights turn into a score (``dedupe.weights``). Thresholds are data: change them here, recalibrate.
"""

from __future__ import annotations

from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import partial_ratio

from dedupe.records import Prepared

__all__ = ["FIELDS", "LEVELS", "Levels", "compare"]

FIELDS: tuple[str, ...] = ("name", "region", "industry", "phone", "email", "uscc", "contact", "address")
LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("null", "exact_city", "exact", "homophone", "short", "trade", "fuzzy_high", "fuzzy", "else"),
    "region": ("null", "exact", "same_province", "other_city", "other_province"),
    "industry": ("null", "exact", "else"),
    "phone": ("null", "exact", "else"),
    "email": ("null", "exact", "domain", "else"),
    "uscc": ("null", "exact", "else"),
    "contact": ("null", "exact", "surname", "else"),
    "address": ("null", "fuzzy_high", "fuzzy", "else"),
}
NAME_HIGH, NAME_LOW = 0.90, 0.75
ADDRESS_HIGH, ADDRESS_LOW = 90.0, 70.0

Levels = tuple[int, ...]


def _name(a: Prepared, b: Prepared) -> int:
    if a.core is None or b.core is None:
        return 0
    if a.core == b.core:
        return 1 if a.city is not None and a.city == b.city else 2
    if a.latin and b.latin:
        return _latin_name(a, b)
    if a.pinyin == b.pinyin and not a.core.isascii() and not b.core.isascii():
        return 3
    short, long = (a.core, b.core) if len(a.core) < len(b.core) else (b.core, a.core)
    if len(short) >= 2 and long.startswith(short) and not short.isascii():
        return 4
    if a.trade == b.trade and a.trade is not None and len(a.trade) >= 2:
        return 5
    similarity = Indel.normalized_similarity(a.core, b.core)
    if similarity >= NAME_HIGH:
        return 6
    return 7 if similarity >= NAME_LOW else 8


def _latin_name(a: Prepared, b: Prepared) -> int:
    """Two Latin-script names: words in any order (given name and surname swapped) are the same name,
    and one name's words inside the other's (a given name missing) is a short name."""
    assert a.core is not None and b.core is not None
    words_a, words_b = a.core.split(), b.core.split()
    set_a, set_b = set(words_a), set(words_b)
    if set_a == set_b:
        return 1 if a.city is not None and a.city == b.city else 2
    if set_a < set_b or set_b < set_a:
        return 4
    if a.trade == b.trade and a.trade is not None and len(a.trade) >= 2:
        return 5
    similarity = max(
        Indel.normalized_similarity(a.core, b.core),
        Indel.normalized_similarity(" ".join(sorted(words_a)), " ".join(sorted(words_b))),
    )
    if similarity >= NAME_HIGH:
        return 6
    return 7 if similarity >= NAME_LOW else 8


def _region(a: Prepared, b: Prepared) -> int:
    if a.province is None or b.province is None:
        return 0
    if a.city is not None and b.city is not None:
        if a.city == b.city:
            return 1
        return 3 if a.province == b.province else 4
    return 2 if a.province == b.province else 4


def _industry(a: Prepared, b: Prepared) -> int:
    if a.industry is None or b.industry is None:
        return 0
    return 1 if a.industry == b.industry else 2


def _phone(a: Prepared, b: Prepared) -> int:
    if a.phone is None or b.phone is None:
        return 0
    return 1 if a.phone == b.phone else 2


def _email(a: Prepared, b: Prepared) -> int:
    if a.email is None or b.email is None:
        return 0
    if a.email == b.email:
        return 1
    return 2 if a.domain is not None and a.domain == b.domain else 3


def _uscc(a: Prepared, b: Prepared) -> int:
    if a.uscc is None or b.uscc is None:
        return 0
    return 1 if a.uscc == b.uscc else 2


def _contact(a: Prepared, b: Prepared) -> int:
    if a.person is None or b.person is None:
        return 0
    if a.person == b.person:
        return 1
    if not a.person.isascii() and a.person[0] == b.person[0]:
        return 2
    return 3


def _address(a: Prepared, b: Prepared) -> int:
    if a.address is None or b.address is None:
        return 0
    score = partial_ratio(a.address, b.address)
    if score >= ADDRESS_HIGH:
        return 1
    return 2 if score >= ADDRESS_LOW else 3


def compare(a: Prepared, b: Prepared) -> Levels:
    """The level of each field in :data:`FIELDS` order."""
    return (
        _name(a, b),
        _region(a, b),
        _industry(a, b),
        _phone(a, b),
        _email(a, b),
        _uscc(a, b),
        _contact(a, b),
        _address(a, b),
    )
