"""Records in, normalised records out: the only place dedupe looks at raw text.

Every normaliser is ``mapping``'s (company core and region, phone, e-mail, person name, USCC,
region of an address); this module only combines them into one :class:`Prepared` per record and
memoises them, since the same raw company name or phone number comes back many times in a batch.
A value a normaliser refuses (a phone with no digits, a USCC with a bad check character) becomes
"unknown", never an error: dedupe must cope with whatever the intake let through.
"""

from __future__ import annotations

import multiprocessing
import re
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
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
from mapping.address import AddressHints, parse_address
from mapping.region import Place, region_table

__all__ = ["FREE_MAIL_DOMAINS", "PARALLEL_FROM", "Prepared", "Record", "prepare", "prepare_many"]

# fmt: off
FREE_MAIL_DOMAINS = frozenset((
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "vip.163.com", "126.com", "yeah.net", "188.com",
    "sina.com", "sina.cn", "sohu.com", "139.com", "aliyun.com", "21cn.com", "tom.com", "gmail.com",
    "hotmail.com", "outlook.com", "live.com", "yahoo.com", "icloud.com", "msn.com",
))
# fmt: on
_CACHE = 1 << 18
PARALLEL_FROM = 20_000  # records; below this, starting worker processes costs more than it saves
_CHUNK = 5_000
_PLAIN_PHONE = re.compile(r"[\d+\-() ]+")
_PHONE_NOISE = re.compile(r"[\-() ]")
_CN_MOBILE = re.compile(r"(?:\+?86)?(1[1-9]\d{9})")
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


@lru_cache(maxsize=1 << 12)
def _mobile_range_valid(first5: str) -> bool:
    """Does ``normalise_phone`` accept the 11-digit Chinese numbers that start with these 5 digits?

    In phonenumbers' metadata for CN, an 11-digit national number starting 11-19 can only be a
    mobile, and the mobile pattern is decided by at most the first five digits (``1740[0-5]``), so
    the verdict on one number of a 5-digit range is the verdict on all of them: asking once per range
    is the same answer for a fraction of the cost (a test holds this against ``normalise_phone``).
    """
    sample = first5 + "000000"
    return _phone(sample) == "+86" + sample


def _phone_e164(text: str) -> str | None:
    key = _phone_key(text)
    mobile = _CN_MOBILE.fullmatch(key)
    if mobile is not None:
        digits = mobile.group(1)
        return "+86" + digits if _mobile_range_valid(digits[:5]) else None
    return _phone(key)


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


@lru_cache(maxsize=_CACHE)
def _parsed_region(address: str, landline: str | None) -> tuple[str | None, str | None]:
    """City (short) and province from ``mapping.address``, which knows every district of China."""
    parsed = parse_address(address, AddressHints(phone=landline))
    city = region_table().get(parsed.city) if parsed.city else None
    return ((city.short or city.full) if city else parsed.city), parsed.province


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
    phone = _phone_e164(record.phone) if record.phone.strip() else None
    if city is None and (address or (phone and not phone.startswith("+861"))):
        # Nothing above names a city: ask the address parser, with a landline's area code as a hint.
        city, province = _parsed_region(
            record.address, phone if phone and not phone.startswith("+861") else None
        )
        province = province or (name_place.province if name_place else None)
    email, domain = _email(record.email) if record.email.strip() else (None, None)
    return Prepared(
        id=record.id,
        core=core,
        trade=trade,
        pinyin=_pinyin(core) if core else None,
        city=city,
        province=province,
        industry=industry,
        phone=phone,
        email=email,
        domain=domain,
        person=_person(record.contact) if record.contact else None,
        address=address,
        uscc=_uscc(record.uscc) if record.uscc.strip() else None,
    )


def _prepare_chunk(records: list[Record]) -> list[Prepared]:
    return [prepare(r) for r in records]


def prepare_many(records: Sequence[Record | Prepared], workers: int = 1) -> list[Prepared]:
    """:func:`prepare` over many records, in order; in ``workers`` processes for big batches.

    Sequential by default: on a small shared machine (2 cores, neighbours busy) worker processes
    measured slower than one. Batches under :data:`PARALLEL_FROM` records never start processes.
    """
    todo = [r for r in records if isinstance(r, Record)]
    if workers <= 1 or len(todo) < PARALLEL_FROM:
        return [r if isinstance(r, Prepared) else prepare(r) for r in records]
    chunks = [todo[i : i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = iter([p for chunk in pool.map(_prepare_chunk, chunks) for p in chunk])
    return [next(done) if isinstance(r, Record) else r for r in records]
