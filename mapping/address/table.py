"""The national administrative-division table (province, city, county) with adcodes, from package data.

``data/divisions.tsv`` holds every division with its full name, short name and parent adcode (see
``data/README.md`` for its source, snapshot date and licence). :class:`DivisionTable` indexes it by
name: one name can mean several divisions (朝阳区 is in Beijing and in Changchun; 朝阳 is also a city
in Liaoning), so lookups return lists and the parser decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Division", "DivisionTable", "NameHit", "area_code_table", "division_table"]

_PSEUDO_CITY_SUFFIX = "9000"  # 429000: counties directly under a province (仙桃, 石河子 ...)


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    short: str
    parent: str | None  # adcode of the parent, None for a province

    @property
    def level(self) -> str:
        """province | city | district (any county-level division)."""
        if self.parent is None:
            return "province"
        if self.adcode.endswith("00") and not self.adcode.endswith(_PSEUDO_CITY_SUFFIX):
            return "city"
        return "district"


@dataclass(frozen=True)
class NameHit:
    division: Division
    full: bool  # matched the full name (萧山区), not the short one (萧山)


class DivisionTable:
    """Lookups by adcode and by name, ancestry, and which cities have no county-level children."""

    def __init__(self, divisions: list[Division]) -> None:
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[NameHit]] = {}
        for division in divisions:
            self.by_code.setdefault(division.adcode, division)
            self._index(division.name, NameHit(division, True))
            if division.short and division.short != division.name and len(division.short) >= 2:
                self._index(division.short, NameHit(division, False))
        parents = {d.parent for d in divisions if d.level == "district"}
        cities = (d.adcode for d in divisions if d.level == "city")
        self.leaf_cities = frozenset(code for code in cities if code not in parents)
        self.max_name = max(len(name) for name in self.by_name)

    def _index(self, name: str, hit: NameHit) -> None:
        hits = self.by_name.setdefault(name, [])
        if all(h.division.adcode != hit.division.adcode for h in hits):
            hits.append(hit)

    def get(self, adcode: str) -> Division | None:
        return self.by_code.get(adcode)

    def lookup(self, name: str) -> list[NameHit]:
        return self.by_name.get(name, [])

    def chain(self, division: Division) -> list[Division]:
        """The division and its ancestors, province first."""
        out = [division]
        while out[0].parent is not None and (parent := self.by_code.get(out[0].parent)) is not None:
            out.insert(0, parent)
        return out

    def ancestor_codes(self, division: Division) -> set[str]:
        return {d.adcode for d in self.chain(division)}

    def related(self, a: Division, b: Division) -> bool:
        """True when one lies inside the other (or they are the same)."""
        return a.adcode in self.ancestor_codes(b) or b.adcode in self.ancestor_codes(a)

    def is_final(self, division: Division) -> bool:
        """True when the division fixes one district: a county, or a city without counties (东莞)."""
        return division.level == "district" or division.adcode in self.leaf_cities

    def city_of(self, division: Division) -> Division | None:
        """The prefecture-level city (or municipality) the division lies in, or itself."""
        for item in reversed(self.chain(division)):
            if item.level == "city" or (item.level == "province" and item.adcode[:2] in _MUNICIPALITIES):
                return item
        return None


_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


def _parse(text: str) -> list[Division]:
    rows: list[Division] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        adcode, name, short, parent = line.split("\t")
        rows.append(Division(adcode, name, short, parent or None))
    return rows


@lru_cache(maxsize=1)
def division_table() -> DivisionTable:
    """The packaged table, loaded once per process."""
    data = resources.files("mapping.address").joinpath("data")
    return DivisionTable(_parse(data.joinpath("divisions.tsv").read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def area_code_table() -> dict[str, str]:
    """Landline area code (``0571``) -> adcode of its city (``330100``)."""
    data = resources.files("mapping.address").joinpath("data")
    out: dict[str, str] = {}
    for line in data.joinpath("area_codes.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, adcode = line.split("\t")
            out[code] = adcode
    return out
