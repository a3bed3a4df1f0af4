"""Seeded generator of labelled Chinese B2B customer records with realistic duplicates.

Each entity is a company (city, trade name, industry, legal form) with a phone or two, perhaps a
mail domain, a contact person, an address and a USCC. It appears 1 to 6 times, each time written
the way a channel writes it:

- the name as 杭州智联医疗器械有限公司, 智联医械(杭州)有限公司, 杭州智联医疗器械, 浙江杭州智联医疗器械,
  in traditional characters, or with a homophone typo (志联);
- the mobile as 13812345678, 138 1234 5678 or +86-138-1234-5678;
- the contact as 王伟, 王总, 王伟(采购部) or 采购部 王伟;
- the address whole, partial or missing.

Hard negatives are separate entities: the same trade name and industry in another city
(苏州智联医疗器械有限公司) or the same trade name in the same city in another industry (杭州智联软件).

``python -m dedupe.generate --records 2000 --seed 7 --out DIR`` writes ``records.csv`` (the eval
format: ``id,company,contact,phone,email,address,uscc``) and ``truth.csv`` (``id,entity``).
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import phonenumbers
from pypinyin import lazy_pinyin

from dedupe._vocab import (
    BUILDINGS,
    CITIES,
    DEPARTMENTS,
    GIVEN,
    HOMOPHONES,
    INDUSTRIES,
    LEGAL_FORMS,
    ROADS,
    SOURCES,
    SURNAMES,
    TRADE_CHARS,
    TRADITIONAL,
)
from dedupe.records import Record
from mapping import uscc_check_char

__all__ = ["CSV_HEADER", "Entity", "generate", "write_csv"]

CSV_HEADER = ("id", "company", "contact", "phone", "email", "address", "uscc")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "186",
    "188",
    "189",
)
_SIZES = (1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entity:
    key: str
    city: str
    trade: str
    industry: int  # index into INDUSTRIES
    legal: str
    phones: tuple[str, ...]  # bare digits: 13812345678 or 057188881234
    domain: str | None
    person: tuple[str, str]  # surname, given name
    department: str
    address: tuple[str, str, str]  # district, road + number, building
    uscc: str


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.taken: set[tuple[str, str, int]] = set()

    def entity(self, key: str, like: Entity | None) -> Entity:
        rng = self.rng
        while True:
            city, trade = rng.choice(list(CITIES)), "".join(rng.sample(TRADE_CHARS, 2))
            industry = rng.randrange(len(INDUSTRIES))
            if like is not None and rng.random() < 0.6:  # same name, another city
                trade, industry = like.trade, like.industry
                city = rng.choice([c for c in CITIES if c != like.city])
            elif like is not None:  # same trade name and city, another industry
                city, trade = like.city, like.trade
                industry = rng.choice([i for i in range(len(INDUSTRIES)) if i != like.industry])
            if (city, trade, industry) not in self.taken:
                self.taken.add((city, trade, industry))
                break
        _, _, area, adcode, districts = CITIES[city]
        phones = tuple(self.phone(area) for _ in range(rng.choice((1, 1, 1, 2))))
        domain = None
        if rng.random() < 0.5:
            domain = "".join(lazy_pinyin(trade)) + rng.choice((".com", ".cn", ".com.cn", "-tech.com"))
        address = (
            rng.choice(districts),
            f"{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            rng.choice(BUILDINGS),
        )
        org = "".join(rng.choice(_USCC_CHARS) for _ in range(9))
        first17 = "91" + adcode + org
        person = (rng.choice(SURNAMES), "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))))
        legal = rng.choice(LEGAL_FORMS)
        return Entity(
            key,
            city,
            trade,
            industry,
            legal,
            phones,
            domain,
            person,
            rng.choice(DEPARTMENTS),
            address,
            first17 + uscc_check_char(first17),
        )

    def phone(self, area: str) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        while True:  # a landline that phonenumbers accepts for the city (7 or 8 digits)
            digits = area + str(rng.randint(2, 8)) + f"{rng.randrange(10**7):07d}"[: rng.choice((6, 7))]
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN")):
                return digits

    def company(self, e: Entity) -> str:
        rng = self.rng
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
        else:
            name = f"{trade}{industry}{e.legal}"  # no region at all
        if rng.random() < 0.03:
            name = "".join(TRADITIONAL.get(ch, ch) for ch in name)
        if rng.random() < 0.03:
            name = " " + name.replace("有限", " 有限") + " "
        return name

    def phone_text(self, e: Entity) -> str:
        rng = self.rng
        digits = e.phones[0] if rng.random() < 0.85 or len(e.phones) == 1 else e.phones[1]
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

    def contact(self, e: Entity) -> str:
        surname, given = e.person
        full = surname + given
        return self.rng.choice(
            (
                full,
                full,
                f"{surname}总",
                f"{full}({e.department})",
                f"{e.department} {full}",
                f"{surname}经理",
                f"{full} 经理",
                f"{surname}工",
            )
        )

    def email(self, e: Entity) -> str:
        rng = self.rng
        local = "".join(lazy_pinyin(e.person[0] + e.person[1]))
        if e.domain is not None:
            return f"{rng.choice((local, local, 'sales', 'info', 'purchase'))}@{e.domain}"
        return rng.choice((f"{local}@163.com", f"{rng.randint(10**7, 10**10)}@qq.com", f"{local}@126.com"))

    def address(self, e: Entity) -> str:
        province, city_full, _, _, _ = CITIES[e.city]
        district, road, building = e.address
        prefix = "" if province == city_full else province
        return self.rng.choice(
            (
                f"{prefix}{city_full}{district}{road}{building}",
                f"{city_full}{district}{road}",
                f"{district}{road}",
                f"{prefix}{city_full}{district}{road}",
                f"{province.rstrip('省市')}{e.city}{district}{road}{building}{self.rng.randint(2, 20)}楼",
            )
        )

    def record(self, e: Entity, record_id: str) -> Record:
        rng = self.rng

        def maybe(share: float, make: Callable[[], str]) -> str:
            return make() if rng.random() < share else ""

        return Record(
            id=record_id,
            company=maybe(0.97, lambda: self.company(e)),
            contact=maybe(0.75, lambda: self.contact(e)),
            phone=maybe(0.8, lambda: self.phone_text(e)),
            email=maybe(0.35, lambda: self.email(e)),
            address=maybe(0.55, lambda: self.address(e)),
            uscc=maybe(0.25, lambda: e.uscc),
            source=rng.choice(SOURCES),
            updated_at=_EPOCH + timedelta(minutes=rng.randrange(600_000)),
        )


def generate(n_records: int, seed: int = 7, hard_negatives: float = 0.15) -> list[tuple[Record, str]]:
    """``n_records`` labelled records (record, entity key), shuffled; the same seed, the same data."""
    gen = _Generator(seed)
    rng = gen.rng
    entities: list[tuple[Entity, int]] = []
    total = 0
    while total < n_records:
        like = rng.choice(entities)[0] if entities and rng.random() < hard_negatives else None
        size = min(rng.choice(_SIZES), n_records - total)
        entities.append((gen.entity(f"e{len(entities)}", like), size))
        total += size
    order = list(range(n_records))
    rng.shuffle(order)
    out: list[tuple[Record, str]] = []
    slot = 0
    for entity, size in entities:
        for _ in range(size):
            out.append((gen.record(entity, f"r{order[slot]}"), entity.key))
            slot += 1
    out.sort(key=lambda pair: int(pair[0].id[1:]))
    return out


def write_csv(rows: list[tuple[Record, str]], records_path: Path, truth_path: Path) -> None:
    """The eval CLI's two files: records (``CSV_HEADER``) and truth (``id,entity``)."""
    with records_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_HEADER)
        for r, _ in rows:
            writer.writerow((r.id, r.company, r.contact, r.phone, r.email, r.address, r.uscc))
    with truth_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(("id", "entity"))
        writer.writerows((r.id, entity) for r, entity in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write labelled Chinese B2B records for dedupe.")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(generate(args.records, args.seed), args.out / "records.csv", args.out / "truth.csv")


if __name__ == "__main__":
    main()
