"""Records in, normalised records out: the only place dedupe looks at raw text.

Every normaliser is ``mapping``'s (company core and region, phone, e-mail, person name, USCC,
region of an address); this module only combines them into one :class:`Prepared` per record and
memoises them, since the same raw company name or phone number comes back many times in a batch.
A value a normaliser refuses (a phone with no digits, a USCC with a bad check character) becomes
"unknown", never an error: dedupe must cope with whatever the intake let through.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from pypinyin import lazy_pinyin

from hub.errors import MappingError
from mapping import (
    company_core,
    normalise_email,
    normalise_person_name,
    normalise_phone,
    validate_uscc,
)
from mapping.region import Place, region_table

__all__ = ["FREE_MAIL_DOMAINS", "Prepared", "Record", "prepare"]

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


@dataclass(frozen=True, slots=True)
class Record:
    """One customer or lead as dedupe sees it. Every field but ``id`` may be empty."""

    id: str
    company: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    uscc: str = ""
    source: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """The normalised fields that blocking and comparison use (None = unknown)."""

    id: str
    core: str | None  # 智联医械
    trade: str | None  # 智联 (core without its industry word)
    pinyin: str | None  # zhilianyixie: homophone typos share it
    city: str | None  # short name, 杭州
    province: str | None  # full name, 浙江省
    industry: str | None  # 医械
    phone: str | None  # E.164
    email: str | None
    domain: str | None  # a company's own mail domain (free-mail domains are dropped)
    person: str | None  # 王伟, or a bare surname from 王总
    address: str | None  # without province and city, without spaces and punctuation
    uscc: str | None


@lru_cache(maxsize=_CACHE)
def _company(text: str) -> tuple[str | None, str | None, str | None, Place | None]:
    if not text.strip():
        return None, None, None, None
    parts = company_core(text)
    core = parts.core or None
    trade = core
    if core and parts.industry and core.endswith(parts.industry) and len(core) > len(parts.industry):
        trade = core[: -len(parts.industry)]
    place = region_table().get(parts.region) if parts.region else None
    return core, trade, parts.industry, place


@lru_cache(maxsize=1 << 16)
def _pinyin_of_char(char: str) -> str:
    return lazy_pinyin(char)[0] if "\u4e00" <= char <= "\u9fff" else char


@lru_cache(maxsize=_CACHE)
def _pinyin(core: str) -> str:
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
def _email(text: str) -> tuple[str | None, str | None]:
    try:
        address, domain = normalise_email(text)
    except MappingError:
        return None, None
    return address, (None if domain in FREE_MAIL_DOMAINS else domain)


@lru_cache(maxsize=_CACHE)
def _person(text: str) -> str | None:
    return normalise_person_name(text).name if text.strip() else None


@lru_cache(maxsize=_CACHE)
def _uscc(text: str) -> str | None:
    try:
        return validate_uscc(text)
    except MappingError:
        return None


@lru_cache(maxsize=_CACHE)
def _address(text: str) -> tuple[str | None, Place | None]:
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


def _region(*places: Place | None) -> tuple[str | None, str | None]:
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


def prepare(record: Record) -> Prepared:
    """Normalise one record (memoised per raw value)."""
    core, trade, industry, name_place = _company(record.company)
    address, address_place = _address(record.address) if record.address else (None, None)
    city, province = _region(name_place, address_place)
    email, domain = _email(record.email) if record.email.strip() else (None, None)
    return Prepared(
        id=record.id,
        core=core,
        trade=trade,
        pinyin=_pinyin(core) if core else None,
        city=city,
        province=province,
        industry=industry,
        phone=_phone(_phone_key(record.phone)) if record.phone.strip() else None,
        email=email,
        domain=domain,
        person=_person(record.contact) if record.contact else None,
        address=address,
        uscc=_uscc(record.uscc) if record.uscc.strip() else None,
    )
