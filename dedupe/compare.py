"""Comparison in levels, the Splink way: each field of a pair lands on exactly one ordered level.

- name: null, exact_city (same core, same city: a name is registered once per city), exact (same
  core, a city unknown), homophone (same pinyin; an English name whose words other than city and
  industry are the Chinese trade name's pinyin, ``dedupe._latin``), short (one is the short name of
  the other: 秦康 / 秦康康复器械), trade (same trade name, another industry word), fuzzy_high
  (rapidfuzz Indel similarity >= 0.90), fuzzy (>= 0.75), else, exact_elsewhere (same core, two
  cities: the namesake in another city; apart from exact so that a city unknown does not pay for
  the namesakes, which the region field counts already; last so the others keep their numbers);
- region: null, exact (same city), same_province (a city on one side only), other_city,
  other_province;
- industry: null, exact, else (on the family; null too when one name is the other cut short);
- phone: null, exact (E.164), else; shared (the same number, a switchboard: set by the
  index, ``dedupe.switchboard``, never by this module);
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

from dedupe._fields import pinyin
from dedupe.records import Prepared

__all__ = ["FIELDS", "LEVELS", "Levels", "compare", "cut_short", "exact_level"]

FIELDS: tuple[str, ...] = ("name", "region", "industry", "phone", "email", "uscc", "contact", "address")
LEVELS: dict[str, tuple[str, ...]] = {
    "name": (
        *("null", "exact_city", "exact", "homophone", "short", "trade", "fuzzy_high", "fuzzy", "else"),
        "exact_elsewhere",
    ),
    "region": ("null", "exact", "same_province", "other_city", "other_province"),
    "industry": ("null", "exact", "else"),
    "phone": ("null", "exact", "else", "shared"),  # shared: a switchboard (``dedupe.switchboard``)
    "email": ("null", "exact", "domain", "else"),
    "uscc": ("null", "exact", "else"),
    "contact": ("null", "exact", "surname", "else"),
    "address": ("null", "fuzzy_high", "fuzzy", "else"),
}
_EXACT_CITY, _EXACT, _EXACT_ELSEWHERE = (
    LEVELS["name"].index(n) for n in ("exact_city", "exact", "exact_elsewhere")
)
NAME_HIGH, NAME_LOW = 0.90, 0.75
ADDRESS_HIGH, ADDRESS_LOW = 90.0, 70.0

Levels = tuple[int, ...]


def _name(a: Prepared, b: Prepared) -> int:
    if a.core is None or b.core is None:
        return 0
    if a.core == b.core:
        return exact_level(a.city, b.city)
    if a.latin and b.latin:
        return _latin_name(a, b)
    if a.latin or b.latin:
        return _cross_script_name(a, b)
    if a.pinyin == b.pinyin and not a.core.isascii() and not b.core.isascii():
        return 3
    if a.branch != b.branch:
        return _branch_name(a, b) if a.branch else _branch_name(b, a)
    short, long = (a.core, b.core) if len(a.core) < len(b.core) else (b.core, a.core)
    if len(short) >= 2 and long.startswith(short) and not short.isascii():
        return 4
    if _same_stem(a, b):
        return 5 if _families_differ(a, b) else 4
    if a.trade == b.trade and a.trade is not None and len(a.trade) >= 2:
        return 5
    if (
        a.stem
        and b.stem
        and len(a.stem) >= 2
        and not a.core.isascii()
        and not b.core.isascii()
        and pinyin(a.stem) == pinyin(b.stem)
        and not _families_differ(a, b)
    ):
        return 3
    similarity = Indel.normalized_similarity(a.core, b.core)
    if similarity >= NAME_HIGH:
        return 6
    return 7 if similarity >= NAME_LOW else 8


def exact_level(city_a: str | None, city_b: str | None) -> int:
    """The same name: in one city (exact_city), in two (exact_elsewhere), or with a city unknown."""
    if city_a is None or city_b is None:
        return _EXACT
    return _EXACT_CITY if city_a == city_b else _EXACT_ELSEWHERE


def _cross_script_name(a: Prepared, b: Prepared) -> int:
    """An English name and a Chinese one with the same sound (``dedupe._latin``): a homophone in one
    city; with a city unknown only a fuzzy likeness, since a two-syllable sound (anhe) is shared by
    companies all over the country (安合 in 西安, 安和 in 南昌). Else nothing alike."""
    if a.sound is None or a.sound != b.sound:
        return 8
    return 3 if a.city is not None and a.city == b.city else 7


def _families_differ(a: Prepared, b: Prepared) -> bool:
    return a.family is not None and b.family is not None and a.family != b.family


def _same_stem(a: Prepared, b: Prepared) -> bool:
    """One stem is the other or starts it (德金飞 / 德金飞自动化), two characters at least."""
    if a.stem is None or b.stem is None or a.core is None or a.core.isascii():
        return False
    short, long = (a.stem, b.stem) if len(a.stem) <= len(b.stem) else (b.stem, a.stem)
    return len(short) >= 2 and long.startswith(short)


def _branch_name(branch: Prepared, other: Prepared) -> int:
    """A branch against a name without 分公司: the branch itself (上海智联 in the branch's city) is a
    short name of it; the same trade name elsewhere is the head office or a sister branch."""
    if not _same_stem(branch, other) and branch.trade != other.trade:
        similarity = Indel.normalized_similarity(branch.core or "", other.core or "")
        return 7 if similarity >= NAME_LOW else 8
    if branch.city is not None and branch.city == other.city:
        return 5 if _families_differ(branch, other) else 4
    return 5


def _latin_name(a: Prepared, b: Prepared) -> int:
    """Two Latin-script names: words in any order (given name and surname swapped) are the same name,
    and one name's words inside the other's (a given name missing) is a short name."""
    assert a.core is not None and b.core is not None
    words_a, words_b = a.core.split(), b.core.split()
    set_a, set_b = set(words_a), set(words_b)
    if set_a == set_b:
        return exact_level(a.city, b.city)
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
    """On the industry's family (医械 and 医疗科技 agree; generic words such as 科技 say nothing).

    A name cut short says nothing either: 特鹏建筑 is 特鹏建筑材料 cut after 建筑, so its industry
    word (建筑, family 建) is a piece of the other's (建筑材料, family 化), not another trade."""
    if a.family is None or b.family is None:
        return 0
    return 1 if a.family == b.family else (0 if cut_short(a.core, b.core) else 2)


def cut_short(a: str | None, b: str | None) -> bool:
    """One core is the other with its end cut off (特鹏建筑, 特鹏建筑材料)."""
    if a is None or b is None:
        return False
    return b.startswith(a) if len(a) < len(b) else a.startswith(b)


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
