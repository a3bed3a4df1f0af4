"""Provinces and cities: splitting "浙江省 杭州市" / "浙江省-杭州市" / "浙江杭州" into hints.

The table is ``mapping/data/regions.toml``: provinces with their prefecture-level cities, plus a few
county-level cities and districts that often open a company name. Hints come back as full names
("浙江省", "杭州市") when known; unknown text is kept as it was, so nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from mapping._data import load_packaged_toml
from mapping._text import collapse_spaces, fold, to_simplified

__all__ = ["Place", "RegionHints", "RegionTable", "region_table", "split_region"]

_SUFFIXES = ("特别行政区", "自治区", "地区", "省", "市", "盟", "区", "县")
_SPLIT = re.compile(r"[\s\-/,，、|>·]+")


class RegionHints(NamedTuple):
    province: str | None
    city: str | None


@dataclass(frozen=True)
class Place:
    full: str
    short: str | None
    level: str  # province | city | place (county-level city or district)
    province: str  # full name of the province it lies in
    city: str | None  # full name of its prefecture-level city (itself for a city)


class RegionTable:
    """Lookup by full or short name; :meth:`prefix` finds the longest place name opening a text."""

    def __init__(self, places: list[Place]) -> None:
        self.by_name: dict[str, Place] = {}
        for place in places:  # provinces first, so "吉林" stays the province, not 吉林市
            for name in (place.full, place.short):
                if name:
                    self.by_name.setdefault(name, place)
        self._lengths = sorted({len(n) for n in self.by_name}, reverse=True)

    def get(self, name: str) -> Place | None:
        return self.by_name.get(name)

    def prefix(self, text: str) -> tuple[Place, str] | None:
        """The longest known place name that ``text`` starts with, and the name as matched."""
        for length in self._lengths:
            if length <= len(text):
                place = self.by_name.get(text[:length])
                if place is not None:
                    return place, text[:length]
        return None


def _names(entry: str) -> tuple[str, str | None]:
    full, sep, short = entry.partition("=")
    if sep:
        return full, short or None
    for suffix in _SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full, full[: -len(suffix)]
    return full, None


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    data = load_packaged_toml("data", "regions.toml")
    provinces: list[Place] = []
    cities: list[Place] = []
    for province_entry, city_entries in data["provinces"].items():
        pfull, pshort = _names(province_entry)
        municipality = not city_entries and pfull.endswith("市")
        provinces.append(Place(pfull, pshort, "province", pfull, pfull if municipality else None))
        for city_entry in city_entries:
            cfull, cshort = _names(city_entry)
            cities.append(Place(cfull, cshort, "city", pfull, cfull))
    city_province = {c.full: c.province for c in cities} | {p.full: p.full for p in provinces}
    extra = []
    for place_entry, city in data["places"].items():
        full, short = _names(place_entry)
        extra.append(Place(full, short, "place", city_province[city], city))
    return RegionTable(provinces + cities + extra)


def split_region(text: str) -> RegionHints:
    """Province and city hints from free text; either may be None. Never raises."""
    cleaned = collapse_spaces(to_simplified(fold(text)))
    if not cleaned:
        return RegionHints(None, None)
    table = region_table()
    province: str | None = None
    city: str | None = None
    leftovers: list[str] = []
    for part in _SPLIT.split(cleaned):
        rest = part
        while rest:
            found = table.prefix(rest)
            if found is None:
                leftovers.append(rest)
                break
            place, matched = found
            rest = rest[len(matched) :]
            province = province or place.province
            if place.level != "province" or place.city:
                city = city or place.city
    if province is None and city is None:
        # Not a place we know: keep the text, as the city if it has two parts, else as given.
        parts = _SPLIT.split(cleaned)
        if len(parts) >= 2:
            return RegionHints(parts[0][:40], parts[1][:40])
        return RegionHints(None, cleaned[:40])
    if city is None and leftovers:
        city = leftovers[0][:40]
    return RegionHints(province, city)
