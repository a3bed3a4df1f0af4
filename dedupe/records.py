"""Records in, normalised records out: the only place dedupe looks at raw text.

A :class:`Record` is a customer or lead as received; :func:`prepare` turns it into a
:class:`Prepared` one with ``mapping``'s normalisers (through ``dedupe._fields``, which memoises
them). A value a normaliser refuses (a phone with no digits, a USCC with a bad check character)
becomes unknown (None), never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from dedupe._fields import (
    FREE_MAIL_DOMAINS,
    address_parts,
    company_parts,
    email_parts,
    is_latin,
    parsed_region,
    person,
    phone_e164,
    pinyin,
    region_of,
    uscc,
)
from dedupe._fork import can_fork, in_two_processes
from dedupe._industry import family, stem_and_family
from dedupe._latin import latin_parts, sound

__all__ = ["FREE_MAIL_DOMAINS", "Prepared", "Record", "can_fork", "prepare", "prepare_many"]


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
    latin: bool = False  # the core is Latin script (no CJK): decided on the model's Latin thresholds
    stem: str | None = None  # the core without its industry words (特胜农业科技 -> 特胜)
    family: str | None = None  # the industry's family (医械, 医疗科技 -> 医); None: generic or unknown
    branch: bool = False  # a branch office (…上海分公司): its own entity in its own city
    # what the trade name sounds like (智联 and 'Zhilian Medical Co.' are both zhilian; ``dedupe._latin``)
    sound: str | None = None


def prepare(record: Record) -> Prepared:
    """Normalise one record (memoised per raw value)."""
    core, trade, industry, name_place, branch = company_parts(record.company)
    stem, industry_family = stem_and_family(trade or core) if core else (None, None)
    industry_family = family(industry) or industry_family
    address, address_place = address_parts(record.address) if record.address else (None, None)
    city, province = region_of(name_place, address_place)
    phone = phone_e164(record.phone) if record.phone.strip() else None
    if city is None and (address or (phone and not phone.startswith("+861"))):
        # Nothing above names a city: ask the address parser, with a landline's area code as a hint.
        city, province = parsed_region(
            record.address, phone if phone and not phone.startswith("+861") else None
        )
        province = province or (name_place.province if name_place else None)
    email, domain = email_parts(record.email) if record.email.strip() else (None, None)
    latin = core is not None and is_latin(core)
    if latin:
        assert core is not None
        trade_sound, latin_place, latin_family = latin_parts(core)
        if city is None and latin_place is not None:
            city, province = region_of(latin_place)
        industry_family = industry_family or latin_family
    else:
        trade_sound = sound(stem)
    return Prepared(
        id=record.id,
        core=core,
        trade=trade,
        pinyin=pinyin(core) if core else None,
        city=city,
        province=province,
        industry=industry,
        phone=phone,
        email=email,
        domain=domain,
        person=person(record.contact) if record.contact else None,
        address=address,
        uscc=uscc(record.uscc) if record.uscc.strip() else None,
        latin=latin,
        stem=stem,
        family=industry_family,
        branch=branch,
        sound=trade_sound,
    )


def prepare_many(records: Sequence[Record | Prepared], processes: int | None = None) -> list[Prepared]:
    """:func:`prepare` over many records, in order (already prepared ones pass through).

    From ``FORK_MIN`` records on, with a core idle, a forked child prepares the second half while this
    process prepares the first (``processes=1`` forces one process, ``2`` a fork). Below that size,
    or with no idle core, the fork and the pickling back cost more than they save.
    """
    if processes is None:
        raw = sum(1 for r in records if not isinstance(r, Prepared))  # prepared ones cost nothing
        processes = 2 if raw >= FORK_MIN and can_fork() else 1
    if processes < 2:
        return [r if isinstance(r, Prepared) else prepare(r) for r in records]
    return _prepare_forked(records)


FORK_MIN = 50_000
_WARM_UP = 1_000


def _prepare_forked(records: Sequence[Record | Prepared]) -> list[Prepared]:
    half = len(records) // 2
    # The first few here before the fork: the normalisers' lazily loaded data (OpenCC, phonenumbers,
    # pinyin, regions) is then loaded once and shared with the child.
    warm = min(half, _WARM_UP)
    first = [r if isinstance(r, Prepared) else prepare(r) for r in records[:warm]]

    def here() -> list[Prepared]:
        return first + [r if isinstance(r, Prepared) else prepare(r) for r in records[warm:half]]

    def there() -> list[tuple[Any, ...]]:  # tuples pickle smaller and faster than the dataclass
        return [_row(r if isinstance(r, Prepared) else prepare(r)) for r in records[half:]]

    mine, rows = in_two_processes(here, there)
    return mine + [Prepared(*row) for row in rows]


def _row(p: Prepared) -> tuple[Any, ...]:
    return tuple(getattr(p, name) for name in _FIELD_NAMES)


_FIELD_NAMES = tuple(f.name for f in fields(Prepared))
