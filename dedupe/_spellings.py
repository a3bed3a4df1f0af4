"""How each channel spells an entity's fields (the variants of ``dedupe.generate``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from dedupe._vocab import CITIES, HOMOPHONES, INDUSTRIES, TRADITIONAL

__all__ = ["Entity", "address_text", "company_text", "contact_text", "email_text", "phone_text"]


@dataclass(frozen=True)
class Entity:
    key: str
    city: str
    trade: str
    industry: int  # index into INDUSTRIES
    legal: str
    phones: tuple[str, ...]  # one per contact person, bare digits: 13812345678 or 057188881234
    domain: str | None
    persons: tuple[tuple[str, str, str], ...]  # contact people: surname, given name, department
    address: tuple[str, str, str]  # district, road + number, building
    uscc: str
    switchboard: str | None = None  # a landline shared with the other companies of its building


def company_text(rng: random.Random, e: Entity) -> str:
    long_form, alternatives = INDUSTRIES[e.industry]
    industry = rng.choice(alternatives) if alternatives and rng.random() < 0.3 else long_form
    trade = e.trade
    if rng.random() < 0.06:
        i = rng.randrange(2)
        if trade[i] in HOMOPHONES:
            trade = trade[:i] + rng.choice(HOMOPHONES[trade[i]]) + trade[i + 1 :]
    province = CITIES[e.city][0]
    style = rng.random()
    if style < 0.45:
        name = f"{e.city}{trade}{industry}{e.legal}"
    elif style < 0.62:
        name = f"{trade}{industry}({e.city}){e.legal}"
    elif style < 0.77:
        name = f"{e.city}{trade}{industry}"
    elif style < 0.84:
        name = f"{province.rstrip('省市')}{e.city}{trade}{industry}{e.legal}"
    elif style < 0.90:
        name = f"{trade}{industry}（{e.city}）{e.legal}"
    elif style < 0.95:
        name = f"{CITIES[e.city][1]}{trade}{industry}{e.legal}"
    elif style < 0.97:
        name = f"{e.city}{trade}"  # the short name people use: 杭州智联
    else:
        name = f"{trade}{industry}{e.legal}"  # no region at all
    if rng.random() < 0.03:
        name = "".join(TRADITIONAL.get(ch, ch) for ch in name)
    if rng.random() < 0.03:
        name = " " + name.replace("有限", " 有限") + " "
    return name


SWITCHBOARD_SHARE = 0.4  # of the phones of a company with a shared switchboard


def phone_text(rng: random.Random, e: Entity, person: int) -> str:
    """The phone of contact ``person``, sometimes another one of the company's, or the switchboard
    of its building."""
    digits = e.phones[person] if rng.random() < 0.85 else rng.choice(e.phones)
    if e.switchboard is not None and rng.random() < SWITCHBOARD_SHARE:
        digits = e.switchboard
    if digits.startswith("1"):
        a, b, c = digits[:3], digits[3:7], digits[7:]
        return rng.choice(
            (
                digits,
                f"{a} {b} {c}",
                f"{a}-{b}-{c}",
                f"+86 {a} {b} {c}",
                f"+86-{digits}",
                f"86{digits}",
                f"(+86){digits}",
                f"{digits} 微信同号",
            )
        )
    area = next(c[2] for c in CITIES.values() if digits.startswith(c[2]))
    local = digits[len(area) :]
    return rng.choice(
        (f"{area}-{local}", f"({area}){local}", f"{area} {local}", digits, f"+86 {area[1:]} {local}")
    )


def contact_text(rng: random.Random, e: Entity, person: int) -> str:
    surname, given, department = e.persons[person]
    full = surname + given
    return rng.choice(
        (
            full,
            full,
            f"{surname}总",
            f"{full}({department})",
            f"{department} {full}",
            f"{surname}经理",
            f"{full} 经理",
            f"{surname}工",
        )
    )


def email_text(rng: random.Random, e: Entity, person: int) -> str:
    local = "".join(lazy_pinyin(e.persons[person][0] + e.persons[person][1]))
    if e.domain is not None:
        return f"{rng.choice((local, local, 'sales', 'info', 'purchase'))}@{e.domain}"
    return rng.choice((f"{local}@163.com", f"{rng.randint(10**7, 10**10)}@qq.com", f"{local}@126.com"))


def address_text(rng: random.Random, e: Entity) -> str:
    province, city_full, _, _, _ = CITIES[e.city]
    district, road, building = e.address
    prefix = "" if province == city_full else province
    return rng.choice(
        (
            f"{prefix}{city_full}{district}{road}{building}",
            f"{city_full}{district}{road}",
            f"{district}{road}",
            f"{prefix}{city_full}{district}{road}",
            f"{province.rstrip('省市')}{e.city}{district}{road}{building}{rng.randint(2, 20)}楼",
        )
    )
