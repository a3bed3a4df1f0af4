"""Offline address resolution: which district (adcode) does a free-text Chinese address name?

Place names open a Chinese address, largest first (省 市 区 then the street), often with suffixes or
levels left out ("杭州萧山", "北京朝阳区"). The parser reads place names from the start while they
chain, then keeps the candidates that agree with every name read and, if several remain, with the
hints (form city, phone area code, source account). The address is **resolved** when exactly one
district is left (a county-level division, or a city without counties such as 东莞); otherwise it is
**ambiguous** and says why, with the finest division it is sure of (used as Amap's ``city``):

- no place name at all ("only a street"), unless a hint names a city: then the city is known;
- a district name shared by several cities (朝阳区, 鼓楼区) and nothing to choose between them;
- a city without a district ("杭州市文一西路");
- a bare short district name ("萧山" with no city): it may as well be a town elsewhere;
- place names that contradict each other.

A unique full district name alone ("萧山区…") is resolved: the table leaves no doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mapping._text import fold, to_simplified
from mapping.address.table import Division, DivisionTable, NameHit, area_code_table, division_table

__all__ = ["AddressHints", "AddressParse", "hint_divisions", "normalise_address", "parse_address"]

_DROP = re.compile(r"[\s,，。.、;；:：()（）\[\]【】\"'“”‘’|/\\#-]+")
_PREFIXES = ("中华人民共和国", "中国", "地址", "公司地址", "详细地址", "收货地址")
# A short place name followed by one of these is a street or a building, not a division (中山路).
_NOT_DIVISION_AFTER = (
    "路", "街", "道", "巷", "弄", "桥", "镇", "乡", "村", "号", "里", "广场", "大厦", "小区", "花园",
    "公园", "中学", "小学", "医院", "大学",
)  # fmt: skip


@dataclass(frozen=True)
class AddressHints:
    """Where else the lead says it is; each may be None. Earlier fields win over later ones."""

    city: str | None = None  # the form's city field (or an adcode)
    province: str | None = None
    phone: str | None = None  # E.164; only landlines carry a place (area code)
    account_city: str | None = None  # the source account's region, from the source config


@dataclass(frozen=True)
class AddressParse:
    text: str  # the normalised address
    adcode: str | None  # the district when resolved; else the finest division known, or None
    province: str | None
    city: str | None
    district: str | None
    resolved: bool
    reason: str
    geocoder_city: str | None  # adcode (or text) to narrow Amap's search, when known
    rest: str  # what follows the place names (the street part)

    @property
    def ambiguous(self) -> bool:
        return not self.resolved


def normalise_address(text: str) -> str:
    """Folded, simplified, without spaces and punctuation or a leading 中国/地址: the cache key text."""
    cleaned = _DROP.sub("", to_simplified(fold(text)))
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if cleaned.startswith(prefix) and len(cleaned) > len(prefix):
                cleaned, changed = cleaned[len(prefix) :], True
    return cleaned


def _mentions(text: str, table: DivisionTable) -> tuple[list[list[NameHit]], str]:
    """Place names read from the start while they chain; the text left over.

    Where names can be cut two ways (济南市中区 = 济南 + 市中区, not 济南市 + 中区) the reading that
    covers the most text wins, then the one with fewer names.
    """
    best = _read(text, 0, table, [], depth=0)
    return best[2], text[best[0] :]


def _read(
    text: str, pos: int, table: DivisionTable, previous: list[NameHit], depth: int
) -> tuple[int, int, list[list[NameHit]]]:
    """(end position, -names, names) of the best reading from ``pos``; each name must lie inside or
    around the one before it (德兴市中山路 is 德兴市 + a street, not 德兴 + 市中区)."""
    best: tuple[int, int, list[list[NameHit]]] = (pos, 0, [])
    if depth >= 5:
        return best
    for length in range(min(table.max_name, len(text) - pos), 1, -1):
        hits = table.lookup(text[pos : pos + length])
        if not hits:
            continue
        if all(not h.full for h in hits) and text[pos + length :].startswith(_NOT_DIVISION_AFTER):
            continue
        if previous:
            hits = [h for h in hits if any(table.related(h.division, p.division) for p in previous)]
            if not hits:
                continue
        end, names, found = _read(text, pos + length, table, hits, depth + 1)
        if (end, names - 1) > best[:2]:
            best = (end, names - 1, [hits, *found])
    return best


def hint_divisions(hints: AddressHints, table: DivisionTable | None = None) -> list[Division]:
    """The divisions the hints name, in order of trust; unknown hints are skipped."""
    table = table or division_table()
    out: list[Division] = []
    for value in (hints.city, hints.province, _area_code_city(hints.phone), hints.account_city):
        if not value:
            continue
        division = table.get(value) if value.isdigit() else None
        if division is None and not value.isdigit():
            mentions, _ = _mentions(normalise_address(value), table)
            flat = [h.division for h in mentions[-1]] if mentions else []
            division = flat[0] if len(flat) == 1 else None
        if division is not None:
            out.append(division)
    return out


def _area_code_city(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("86"):
        digits = digits[2:]
    if not digits or re.fullmatch(r"1[3-9]\d{9}", digits):  # mobiles carry no place
        return None
    codes = area_code_table()
    return codes.get("0" + digits[:2]) or codes.get("0" + digits[:3])


def _consistent(candidate: Division, others: Iterable[list[NameHit]], table: DivisionTable) -> bool:
    return all(any(table.related(candidate, h.division) for h in hits) for hits in others)


def _by_hints(candidates: list[Division], hints: list[Division], table: DivisionTable) -> list[Division]:
    for hint in hints:
        kept = [c for c in candidates if table.related(c, hint)]
        if kept:
            return kept
    return candidates


def _common(candidates: list[Division], table: DivisionTable) -> Division | None:
    chains = [table.chain(c) for c in candidates]
    common: Division | None = None
    for level in zip(*chains, strict=False):
        if all(d.adcode == level[0].adcode for d in level):
            common = level[0]
        else:
            break
    return common


def parse_address(address: str, hints: AddressHints | None = None) -> AddressParse:
    """Resolve ``address`` to one district offline, or say why it is ambiguous. Never raises."""
    table = division_table()
    text = normalise_address(address or "")
    hint_list = hint_divisions(hints, table) if hints else []
    mentions, rest = _mentions(text, table)
    if not mentions:
        known = next(iter(hint_list), None)
        return _result(text, known, False, "no place name in the address", rest, table, hint_list)
    candidates: list[Division] = []
    while mentions:  # a later name that contradicts the earlier ones is read as part of the street
        last, earlier = mentions[-1], mentions[:-1]
        candidates = [h.division for h in last if _consistent(h.division, earlier, table)]
        if candidates:
            break
        mentions.pop()
    if not candidates:
        return _result(text, None, False, "place names contradict each other", rest, table, hint_list)
    candidates = _by_hints(candidates, hint_list, table)
    if len(candidates) > 1:
        places = "、".join(sorted(table.chain(c)[-2].name if c.parent else c.name for c in candidates))
        word = last[0].division.name if last[0].full else last[0].division.short
        reason = f"{word} is in several places ({places})"
        return _result(text, _common(candidates, table), False, reason, rest, table, [])
    chosen = candidates[0]
    bare_short = not earlier and not any(h.full for h in last) and not _hinted(chosen, hint_list, table)
    if bare_short and chosen.level == "district":
        return _result(text, None, False, "a bare short district name without a city", rest, table, hint_list)
    if not table.is_final(chosen):
        return _result(text, chosen, False, f"no district within {chosen.name}", rest, table, hint_list)
    return _result(text, chosen, True, "resolved offline", rest, table, hint_list)


def _hinted(division: Division, hints: list[Division], table: DivisionTable) -> bool:
    return any(table.related(division, hint) for hint in hints)


def _result(
    text: str,
    division: Division | None,
    resolved: bool,
    reason: str,
    rest: str,
    table: DivisionTable,
    hints: list[Division],
) -> AddressParse:
    names: dict[str, str] = {}
    if division is not None:
        for item in table.chain(division):
            names[item.level] = item.name
    if "province" in names and "city" not in names and division is not None and division.adcode[:2] in (
        "11", "12", "31", "50",
    ):  # fmt: skip
        names["city"] = names["province"]
    city = table.city_of(division) if division is not None else None
    if city is not None:
        geocoder_city: str | None = city.adcode
    elif division is not None:
        geocoder_city = division.adcode
    else:
        geocoder_city = hints[0].adcode if hints else None
    return AddressParse(
        text=text,
        adcode=division.adcode if division is not None else None,
        province=names.get("province"),
        city=names.get("city"),
        district=names.get("district"),
        resolved=resolved,
        reason=reason,
        geocoder_city=geocoder_city,
        rest=rest,
    )
