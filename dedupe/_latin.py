"""A Chinese company's English name, read back: 'Changzhou Hangyinteng Chemical Co., Ltd.' is
航银腾化工 of 常州, written in pinyin with an English industry word.

Customer lists of one company mix its Chinese name and its English one (a foreign-trade form, an
English invoice, a salesperson typing without a Chinese keyboard): china_b2b 20k lost 500 true
pairs (2% of its pairs) between ``kangjun`` and 康俊化工, ``tianjin xinghang biotech`` and 星航诊断技术.
Compared as text the two share nothing. Read as words, the English name is a city in pinyin, the trade
name in pinyin, and industry and legal-form words; the trade name's pinyin is what the Chinese name
sounds like (:func:`sound` of its stem), so the two meet on that ``sound``.

Only what a mainland English company name is made of: the city (the region table's short names, in
toneless pinyin), English industry words (with their industry family where one is clear) and legal
forms. A Latin name that is not a Chinese company's (Febrl's 'john smith') keeps its own words as
its sound and meets no Chinese name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dedupe._fields import pinyin
from mapping.region import Place, region_table

__all__ = ["latin_parts", "sound"]

# fmt: off
_INDUSTRY_WORDS: dict[str, str | None] = {
    "medical": "医", "biotech": "医", "biotechnology": "医", "bio": "医", "pharma": "医",
    "pharmaceutical": "医", "pharmaceuticals": "医", "diagnostics": "医", "healthcare": "医", "health": "医",
    "electronics": "电", "electronic": "电", "electric": "电", "electrical": "电", "optoelectronics": "电",
    "machinery": "机", "machine": "机", "equipment": "机", "automation": "机", "precision": "机",
    "chemical": "化", "chemicals": "化", "materials": None, "material": None, "plastics": "化",
    "software": "软", "information": "软", "network": "软", "data": "软", "it": "软",
    "building": None, "construction": "建", "decoration": "建", "engineering": "建",
    "logistics": "运", "transport": "运", "transportation": "运", "supply": "运", "chain": "运",
    "freight": "运", "shipping": "运",
    "media": "媒", "culture": "媒", "advertising": "媒",
    "food": "食", "foods": "食", "agriculture": "食", "agricultural": "食", "beverage": "食",
    "energy": "能", "environmental": "能", "auto": "车", "automotive": "车", "parts": None,
    "technology": None, "technologies": None, "tech": None, "trading": None, "trade": None,
    "industrial": None, "industry": None, "industries": None, "international": None, "group": None,
    "holdings": None, "development": None, "science": None, "services": None, "service": None,
    "management": None, "consulting": None, "new": None, "and": None, "of": None,
}
_LEGAL_WORDS = frozenset(("co", "company", "ltd", "limited", "inc", "corp", "corporation", "llc", "branch"))
# fmt: on
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _cities() -> dict[str, Place]:
    """Toneless pinyin of each city's and province's short name -> the place (cities win)."""
    table = region_table()
    out: dict[str, Place] = {}
    for place in table.by_name.values():
        if place.level in ("city", "province") and place.short:
            key = pinyin(place.short)
            if place.level == "city" or key not in out:
                out[key] = place
    return out


def sound(stem: str | None) -> str | None:
    """What a Chinese trade name sounds like (智联 -> zhilian); None when too short to tell."""
    if not stem or stem.isascii() or len(stem) < 2:
        return None
    return pinyin(stem)


@lru_cache(maxsize=1 << 16)
def latin_parts(core: str) -> tuple[str | None, Place | None, str | None]:
    """The sound of an English company name (its words other than city, industry and legal form,
    run together), the city or province it names, and its industry family if a word tells one."""
    words = _WORD.findall(core.lower())
    cities = _cities()
    place: Place | None = None
    family: str | None = None
    kept: list[str] = []
    for word in words:
        if word in _LEGAL_WORDS:
            continue
        if word in _INDUSTRY_WORDS:
            family = family or _INDUSTRY_WORDS[word]
            continue
        if place is None and word in cities and kept == []:  # the city opens the name
            place = cities[word]
            continue
        kept.append(word)
    name = "".join(kept)
    return (name if len(name) >= 4 else None), place, family
