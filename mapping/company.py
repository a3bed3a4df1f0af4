"""Company names: a tidy display form, and the core that tells two spellings of one company apart.

A Chinese company name is region + trade name + industry + legal form (企业名称登记管理规定):
杭州 / 智联 / 医疗器械 / 有限公司. :func:`company_core` takes it apart so that 杭州智联医疗器械有限公司,
智联医械(杭州)有限公司 and 杭州智联医疗器械 share the core 智联医械 and the region 杭州, while
苏州智联医疗器械有限公司 keeps region 苏州. What is stripped and folded is data
(``mapping/data/company.toml`` and ``regions.toml``), so the dedupe room can reuse it unchanged.

A region word is not stripped when nothing but an industry word would be left (安康医疗 stays whole:
安康 is its trade name there), nor when less than two characters would be left. A district named
right after its own city goes with it (南京鼓楼仁和医疗设备有限公司: 仁和医疗设备 in 南京); a district
alone is kept (鼓楼 is in four cities, and may be a trade name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from mapping._data import load_packaged_toml
from mapping._misspelt import MisspeltForms
from mapping._text import collapse_spaces, fold, has_cjk, is_cjk, to_simplified
from mapping.address.table import division_table
from mapping.region import Place, region_table

__all__ = ["CompanyParts", "company_core", "normalise_company"]

_OPEN = str.maketrans({"[": "(", "【": "(", "〔": "(", "〖": "(", "{": "(", "〈": "("})
_CLOSE = str.maketrans({"]": ")", "】": ")", "〕": ")", "〗": ")", "}": ")", "〉": ")"})
_SPACE_INSIDE_BRACKETS = re.compile(r"\(\s+|\s+\)")
_SPACE_BEFORE_BRACKET = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=\()|(?<=\))\s+(?=[\u4e00-\u9fff])")
_BRACKETED = re.compile(r"\(([^()]*)\)")


class CompanyParts(NamedTuple):
    core: str  # trade name + folded industry, e.g. 智联医械; never empty for a non-empty name
    region: str | None  # short form, e.g. 杭州
    legal_form: str | None  # e.g. 有限公司, 集团有限公司
    industry: str | None  # folded, e.g. 医械


def normalise_company(name: str) -> str:
    """NFKC widths, brackets （）[]【】 -> (), trimmed, spaces collapsed; the name is otherwise kept."""
    text = collapse_spaces(fold(name).translate(_OPEN).translate(_CLOSE))
    text = _SPACE_INSIDE_BRACKETS.sub(lambda m: m.group(0).strip(), text)
    return _SPACE_BEFORE_BRACKET.sub("", text)


@dataclass(frozen=True)
class _Rules:
    legal_forms: tuple[str, ...]  # longest first
    national: tuple[str, ...]
    bracket_forms: frozenset[str]
    industries: tuple[str, ...]  # longest first
    abbreviations: tuple[tuple[str, str], ...]  # longest first
    legal_form_set: frozenset[str]
    forms_by_last: dict[str, tuple[str, ...]]  # last character -> legal forms ending in it, longest first
    industries_by_last: dict[str, tuple[str, ...]]  # the same for industries
    misspelt: MisspeltForms  # the long forms, to be found mistyped


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_packaged_toml("data", "company.toml")

    def longest_first(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted({w.casefold() for w in words}, key=len, reverse=True))

    def by_last(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        return {last: tuple(w for w in words if w[-1] == last) for last in {w[-1] for w in words}}

    abbreviations = sorted(data["abbreviations"].items(), key=lambda kv: len(kv[0]), reverse=True)
    legal_forms, industries = longest_first(data["legal_forms"]), longest_first(data["industries"])
    return _Rules(
        legal_forms=legal_forms,
        national=longest_first(data["national_prefixes"]),
        bracket_forms=frozenset(data["bracket_forms"]),
        industries=industries,
        abbreviations=tuple(abbreviations),
        legal_form_set=frozenset(legal_forms),
        forms_by_last=by_last(legal_forms),
        industries_by_last=by_last(industries),
        misspelt=MisspeltForms(legal_forms),
    )


@lru_cache(maxsize=1)
def _place_starts() -> frozenset[str]:
    """First characters of every place name: ``prefix`` finds nothing in a text starting otherwise."""
    return frozenset(name[:1] for name in region_table().by_name)


def _squeeze(text: str) -> str:
    """Drop spaces next to Chinese characters; keep single spaces between Latin words."""
    if " " not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
            if not prev or not nxt or is_cjk(prev) or is_cjk(nxt) or prev in "()" or nxt in "()":
                continue
        out.append(ch)
    return "".join(out)


def company_core(name: str) -> CompanyParts:
    """Core, region, legal form and industry of a company name (see the module docstring)."""
    rules = _rules()
    text = _squeeze(to_simplified(normalise_company(name))).casefold()
    region: Place | None = None
    forms: list[str] = []

    def take_brackets(match: re.Match[str]) -> str:
        nonlocal region
        inner = match.group(1).strip()
        place = region_table().get(inner)
        if place is not None:
            region = region or place
            return ""
        if inner in rules.national:
            return ""
        if inner in rules.bracket_forms:
            forms.append(f"({inner})")
            return ""
        return inner

    text = _BRACKETED.sub(take_brackets, text).replace("(", "").replace(")", "")
    text, tail_forms = _strip_legal_forms(text, rules)
    forms = tail_forms + forms
    for long_form, short_form in rules.abbreviations:
        text = text.replace(long_form, short_form)
    text, prefix_region = _strip_region_prefix(text, rules)
    region = prefix_region or region
    ends = rules.industries_by_last.get(text[-1:], ())
    industry = next((w for w in ends if text.endswith(w) and w != text), None)
    if industry is None and text in rules.industries:
        industry = text
    region_name = (region.short or region.full) if region is not None else None
    legal_form = "".join(f if not f[0].isascii() else f" {f} " for f in forms)
    legal_form = collapse_spaces(legal_form).replace(") (", ")(")
    return CompanyParts(text or _squeeze(normalise_company(name)), region_name, legal_form or None, industry)


def _strip_legal_forms(text: str, rules: _Rules) -> tuple[str, list[str]]:
    """Legal forms off the end, the longest first, misspelt ones too (``mapping._misspelt``)."""
    forms: list[str] = []
    changed = True
    while changed and text not in rules.legal_form_set:
        changed = False
        exact = (f for f in rules.forms_by_last.get(text[-1:], ()) if text.endswith(f) and len(text) > len(f))
        form = next((f for f in exact if _word_end(text, f)), "")
        if misspelt := rules.misspelt.at_end(text, len(form)):
            text = text[: -len(misspelt[0])]
            forms.insert(0, misspelt[1])
            changed = True
        elif form:
            text = text[: -len(form)].rstrip(" ,.")
            forms.insert(0, form)
            changed = True
            # "...有限公司上海分公司": the branch's place is part of the form, not of the core.
            if form in ("分公司", "分厂", "办事处") and (found := _place_suffix(text)):
                text = text[: -len(found)]
                forms.insert(0, found)
    return text, forms


def _word_end(text: str, form: str) -> bool:
    """Latin forms must be whole words: "ltd" ends "acme ltd", not "acmeltd"."""
    if not form[0].isascii():
        return True
    before = text[-len(form) - 1]
    return not before.isalnum()


def _place_suffix(text: str) -> str | None:
    table = region_table()
    for length in (5, 4, 3, 2):
        if len(text) > length and table.get(text[-length:]) is not None:
            return text[-length:]
    return None


def _strip_region_prefix(text: str, rules: _Rules) -> tuple[str, Place | None]:
    """Strip national and region prefixes: 中国, then 浙江, then 杭州 (each inside the last)."""
    for word in rules.national:
        if text.startswith(word) and _worth_keeping(text[len(word) :], rules):
            text = text[len(word) :]
            break
    region: Place | None = None
    table = region_table()
    starts = _place_starts()
    while text[:1] in starts and (found := table.prefix(text)):
        place, matched = found
        inside = region is None or place.province == region.full or place.city == region.city
        rest = text[len(matched) :]
        if not inside or not _worth_keeping(rest, rules):
            break
        text, region = rest, place
    if region is not None:  # a city, or a municipality (北京朝阳...)
        text = _strip_district(text, region, rules)
    return text, region


@lru_cache(maxsize=1)
def _districts_by_city() -> dict[str, tuple[str, ...]]:
    """City full name -> the full and short names of its districts, longest first."""
    table = division_table()
    names: dict[str, set[str]] = {}
    for division in table.by_code.values():
        city = table.city_of(division) if division.level == "district" else None
        if city is not None:
            found = (division.name, division.short)
            names.setdefault(city.name, set()).update(n for n in found if len(n) >= 2)
    return {city: tuple(sorted(known, key=len, reverse=True)) for city, known in names.items()}


def _strip_district(text: str, city: Place, rules: _Rules) -> str:
    for name in _districts_by_city().get(city.full, ()):
        if text.startswith(name) and _worth_keeping(text[len(name) :], rules):
            return text[len(name) :]
    return text


def _worth_keeping(rest: str, rules: _Rules) -> bool:
    """Is ``rest`` still a name once a prefix goes? Not if tiny, or nothing but an industry word."""
    if len(rest) < 2 or not (has_cjk(rest) or rest.isascii()):
        return False
    return rest not in rules.industries
