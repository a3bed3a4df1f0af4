"""Field normalisers of dedupe: ``mapping``'s normalisers, combined and memoised per raw value.

Every rule about what a company, phone, e-mail, person, USCC or address *is* lives in ``mapping``
(company core and region, phone, e-mail, person name, USCC, regions, the address parser); this module
only calls them, caches the answers (the same raw company name or number comes back many times in a
batch) and turns a refusal into "unknown": dedupe must cope with whatever the intake let through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import lazy_pinyin

from core.errors import MappingError
from dedupe._industry import stem_and_family
from mapping import (
    company_core,
    normalise_email,
    normalise_person_name,
    normalise_phone,
    plain_phone,
    validate_uscc,
)
from mapping.address import AddressHints, parse_address
from mapping.region import Place, region_table

__all__ = [
    "FREE_MAIL_DOMAINS",
    "address_parts",
    "company_parts",
    "email_parts",
    "is_latin",
    "parsed_region",
    "person",
    "phone_e164",
    "pinyin",
    "region_of",
    "uscc",
]

# fmt: off
FREE_MAIL_DOMAINS = frozenset((
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com", "yeah.net", "188.com",
    "sina.com", "sina.cn", "sohu.com", "139.com", "aliyun.com", "21cn.com", "tom.com", "gmail.com",
    "hotmail.com", "outlook.com", "live.com", "yahoo.com", "icloud.com", "msn.com",
))
# fmt: on
_CACHE = 1 << 18
_PLAIN_PHONE = re.compile(r"[\d+\-() ]+")
_PHONE_NOISE = re.compile(r"[\-() ]")
_ADDRESS_NOISE = re.compile(r"[\s,，、()（）\-#]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def is_latin(text: str) -> bool:
    """No CJK character (Han, kana, CJK punctuation) in ``text``: a Latin-script name."""
    return _CJK.search(text) is None


_BRANCH = re.compile(r"(.*?)(分公司|分厂|办事处)$")


@lru_cache(maxsize=_CACHE)
def company_parts(text: str) -> tuple[str | None, str | None, str | None, Place | None, bool]:
    """Core (智联医械), trade name (智联), industry (医械), the place the name opens with, and
    whether it is a branch.

    A branch (杭州智联医疗器械有限公司上海分公司) is its own legal entity in its own city: its core is
    the head office's with the branch's place and 分 added (智联医械上海分), and its place is the
    branch's city, so it meets 上海智联 but not the head office in 杭州.
    """
    if not text.strip():
        return None, None, None, None, False
    parts = company_core(text)
    core = parts.core or None
    trade = core
    if core and parts.industry and core.endswith(parts.industry) and len(core) > len(parts.industry):
        trade = core[: -len(parts.industry)]
    table = region_table()
    place = table.get(parts.region) if parts.region else None
    branch = _BRANCH.match(parts.legal_form or "")
    if branch is None or core is None:
        return core, trade, parts.industry, place, False
    where = _place_suffix(branch.group(1))
    label = (where.short or where.full) if where is not None else ""
    stem, _ = stem_and_family(trade or core)
    return f"{stem}{label}分", trade, parts.industry, where or place, True


def _place_suffix(text: str) -> Place | None:
    """The place a branch's legal form ends with (有限公司上海 -> 上海), if any."""
    table = region_table()
    text = text.replace("(", "").replace(")", "")
    for length in (5, 4, 3, 2):
        if len(text) >= length and (found := table.get(text[-length:])) is not None:
            return found
    return None


@lru_cache(maxsize=1 << 16)
def _pinyin_of_char(char: str) -> str:
    return lazy_pinyin(char)[0] if "\u4e00" <= char <= "\u9fff" else char


@lru_cache(maxsize=_CACHE)
def pinyin(core: str) -> str:
    """Toneless pinyin, character by character (志联 and 智联 are both zhilian)."""
    return "".join(_pinyin_of_char(ch) for ch in core)


@lru_cache(maxsize=_CACHE)
def _phone(text: str) -> str | None:
    try:
        return normalise_phone(text).e164
    except MappingError:
        return None


def _phone_key(text: str) -> str:
    """Spacing and dashes do not change a plain number: one cache entry for every way of writing it."""
    text = text.strip()
    return _PHONE_NOISE.sub("", text) if _PLAIN_PHONE.fullmatch(text) else text


@lru_cache(maxsize=_CACHE)
def phone_e164(text: str) -> str | None:
    """``normalise_phone``'s E.164 answer, or None where it refuses the text (memoised: a shared
    switchboard or a buyer's mobile comes back in many records)."""
    key = _phone_key(text)
    plain = plain_phone(key)  # the fast path first: most numbers are plain mobiles and landlines
    return plain.e164 if plain is not None else _phone(key)


@lru_cache(maxsize=_CACHE)
def email_parts(text: str) -> tuple[str | None, str | None]:
    try:
        address, domain = normalise_email(text)
    except MappingError:
        return None, None
    return address, (None if domain in FREE_MAIL_DOMAINS else domain)


@lru_cache(maxsize=_CACHE)
def person(text: str) -> str | None:
    return normalise_person_name(text).name if text.strip() else None


@lru_cache(maxsize=_CACHE)
def uscc(text: str) -> str | None:
    try:
        return validate_uscc(text)
    except MappingError:
        return None


@lru_cache(maxsize=_CACHE)
def address_parts(text: str) -> tuple[str | None, Place | None]:
    """The address without its leading province, city and district, and the most precise of those.

    A place only counts while it lies inside the one before it: in 大连市中山区 the 中山 is a
    district of 大连, not the city of 中山 in 广东.
    """
    folded = _ADDRESS_NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    if not folded:
        return None, None
    table = region_table()
    place: Place | None = None
    while found := table.prefix(folded):
        found_place, matched = found
        if place is not None and not _inside(found_place, place):
            break
        place = found_place
        folded = folded[len(matched) :]
        for suffix in ("省", "市", "区", "县"):
            folded = folded.removeprefix(suffix)
    return (folded or None), place


def _inside(place: Place, outer: Place) -> bool:
    if place.province != outer.province:
        return False
    return outer.city is None or place.city == outer.city


@lru_cache(maxsize=_CACHE)
def parsed_region(address: str, landline: str | None) -> tuple[str | None, str | None]:
    """City (short) and province from ``mapping.address``, which knows every district of China."""
    parsed = parse_address(address, AddressHints(phone=landline))
    city = region_table().get(parsed.city) if parsed.city else None
    return ((city.short or city.full) if city else parsed.city), parsed.province


def region_of(*places: Place | None) -> tuple[str | None, str | None]:
    """Short city name and full province name from the most precise place known."""
    city: str | None = None
    province: str | None = None
    table = region_table()
    for place in places:
        if place is None:
            continue
        province = province or place.province
        if city is None and place.city:
            city_place = table.get(place.city)
            city = (city_place.short or city_place.full) if city_place else place.city
    return city, province
