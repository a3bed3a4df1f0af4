"""The Amap simulator's own gazetteer and matching, independent of the hub's address parser.

The places come from ``amap_places.tsv`` (written by hand from public division codes, see its header),
never from ``mapping.address``: the simulator is a second opinion, so a test that passes because the
parser and the "vendor" share one table proves nothing. The matching is deliberately plain, the way
Amap's geocoder behaves from the outside:

- every place is known by its full name, its name without the suffix (杭州市 → 杭州, 萧山区 → 萧山,
  unless that short form is generic, like 城关 or 市中) and any alias in the file;
- a name found inside a longer name found at the same place does not count (朝阳 inside 朝阳区), and a
  short name followed by 路/街/大道/巷 names a road, not a place (和平区南京路);
- each candidate place scores the places of its own chain (itself, its city, its province) named in the
  address; the best score wins, deeper levels break ties; ``city`` (a name, an adcode or a citycode)
  keeps only the places inside that city, and answers with the city itself when nothing inside it is
  named;
- several places left at the best score are ambiguous: Amap lists them all (``count`` > 1) when no
  ``city`` narrows the search, in the file's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["Gazetteer", "Match", "Place", "gazetteer"]

SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
            "省", "市", "区", "县")  # fmt: skip
GENERIC = frozenset({"新城", "城关", "市中", "城中", "城东", "城西", "城南", "城北", "新华", "和平", "长安",
                     "青山", "新区", "郊区", "矿区", "桥西", "桥东", "城区", "新市", "老城"})  # fmt: skip
ROAD_AFTER = ("路", "街", "大道", "巷", "胡同", "东路", "西路", "南路", "北路", "中路")
RANK = {"province": 1, "city": 2, "district": 3}
LEVELS = {"province": "省", "city": "市", "district": "区县"}


@dataclass(frozen=True)
class Place:
    adcode: str
    name: str
    location: str
    citycode: str
    parent: str | None
    level: str  # province / city / district
    amap_level: str  # the reply's ``level``


@dataclass(frozen=True)
class Match:
    place: Place
    rest: str  # the address after the last place name found in it


def _short(name: str) -> str | None:
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            short = name[: -len(suffix)]
            return None if short in GENERIC else short
    return None


class Gazetteer:
    def __init__(self, rows: list[list[str]]) -> None:
        codes = {row[0] for row in rows}
        self.places: dict[str, Place] = {}
        self.names: dict[str, list[Place]] = {}
        for row in rows:
            adcode, name, location = row[0], row[1], row[2]
            citycode, aliases, level_name = [*row[3:], "", "", ""][:3]
            if adcode.endswith("0000"):
                level, parent = "province", None
            elif adcode.endswith("00"):
                level, parent = "city", adcode[:2] + "0000"
            else:
                level = "district"
                parent = adcode[:4] + "00" if adcode[:4] + "00" in codes else adcode[:2] + "0000"
            place = Place(adcode, name, location, citycode, parent, level, level_name or LEVELS[level])
            self.places[adcode] = place
            short = _short(name)
            extra = [a for a in aliases.split(",") if a]
            for known in dict.fromkeys([name, *([short] if short else []), *extra]):
                self.names.setdefault(known, []).append(place)

    def chain(self, place: Place) -> list[Place]:
        """The place, then its city, then its province."""
        out = [place]
        while out[-1].parent is not None:
            out.append(self.places[out[-1].parent])
        return out

    def city_of(self, place: Place) -> Place:
        """The city a place belongs to; a municipality's districts belong to the municipality."""
        chain = self.chain(place)
        return next((p for p in chain if p.level == "city"), chain[-1])

    def find_city(self, city: str) -> Place | None:
        """``city`` as Amap takes it: an adcode, a citycode or a name (full or short)."""
        if city.isdigit() and len(city) == 6:  # an adcode; 110100 (北京城区) or a city not in the file
            for code in (city, city[:4] + "00", city[:2] + "0000"):  # narrows to what the file knows
                if code in self.places:
                    return self.places[code]
            return None
        by_code = [p for p in self.places.values() if p.citycode == city]
        named = self.names.get(city, [])
        found = by_code or [p for p in named if p.level != "district"]
        return found[0] if found else None

    def _spans(self, address: str) -> list[tuple[int, int, list[Place]]]:
        spans: list[tuple[int, int, list[Place]]] = []
        for known, places in self.names.items():
            start = address.find(known)
            while start >= 0:
                end = start + len(known)
                is_short = all(p.name != known for p in places)
                if not (is_short and address.startswith(ROAD_AFTER, end)):
                    spans.append((start, end, places))
                start = address.find(known, start + 1)
        return [
            s for s in spans
            if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)
        ]  # fmt: skip

    def geocode(self, address: str, city: str | None = None) -> list[Match]:
        """The best places for ``address`` (empty: nothing known; several: ambiguous)."""
        within = self.find_city(city) if city else None
        spans = self._spans(address)
        named = {p.adcode for _, _, places in spans for p in places}
        ends = {p.adcode: end for _, end, places in spans for p in places}
        candidates = [self.places[code] for code in dict.fromkeys(c for c in ends)]
        if within is not None:
            candidates = [p for p in candidates if within in self.chain(p)]
        if not candidates:
            return [Match(within, address)] if within is not None else []
        scored = [(sum(q.adcode in named for q in self.chain(p)), RANK[p.level], p) for p in candidates]
        best = max((s, d) for s, d, _ in scored)
        winners = [p for s, d, p in scored if (s, d) == best]
        out = []
        for place in winners:
            last = max(ends[q.adcode] for q in self.chain(place) if q.adcode in named)
            out.append(Match(place, address[last:]))
        return out


@cache
def gazetteer() -> Gazetteer:
    text = files("connectors.sandbox").joinpath("amap_places.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return Gazetteer(rows)
