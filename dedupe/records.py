"""Records in, normalised records out: the only place dedupe looks at raw text.

A :class:`Record` is a customer or lead as received; :func:`prepare` turns it into a
:class:`Prepared` one with ``mapping``'s normalisers (through ``dedupe._fields``, which memoises
them). A value a normaliser refuses (a phone with no digits, a USCC with a bad check character)
becomes unknown (None), never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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

__all__ = ["FREE_MAIL_DOMAINS", "Prepared", "Record", "prepare", "prepare_many"]


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


def prepare(record: Record) -> Prepared:
    """Normalise one record (memoised per raw value)."""
    core, trade, industry, name_place = company_parts(record.company)
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
        latin=core is not None and is_latin(core),
    )


def prepare_many(records: Sequence[Record | Prepared]) -> list[Prepared]:
    """:func:`prepare` over many records, in order (already prepared ones pass through).

    One process: worker processes were measured slower on the 2-core shared machine (each re-warms
    its caches and the results must be pickled back).
    """
    return [r if isinstance(r, Prepared) else prepare(r) for r in records]
