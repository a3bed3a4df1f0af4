"""Seeded generator of labelled Chinese B2B customer records with realistic duplicates.

Each entity is a company (city, trade name, industry, legal form) with one to three contact people
(each with a phone), perhaps a mail domain, an address and a USCC. It appears 1 to 6 times, through
one of its contacts, each time written the way a channel writes it:

- the name as 杭州智联医疗器械有限公司, 智联医械(杭州)有限公司, 杭州智联医疗器械, 浙江杭州智联医疗器械,
  in traditional characters, or with a homophone typo (志联);
- the mobile as 13812345678, 138 1234 5678 or +86-138-1234-5678;
- the contact as 王伟, 王总, 王伟(采购部) or 采购部 王伟;
- the address whole, partial or missing.

Hard negatives are separate entities: the same trade name and industry in another city
(苏州智联医疗器械有限公司) or the same trade name in the same city in another industry (杭州智联软件).
And a few companies (``SWITCHBOARDS``) sit in a serviced building or park whose front desk answers
one landline for every tenant: their records give that number 40% of the time, so one phone number
belongs to several unrelated companies of a city. (The 5% and the six tenants are china_b2b's own
rates, seen before they were chosen: on this point the two generators are not independent.)

``python -m dedupe.generate --records 2000 --seed 7 --out DIR`` writes ``records.csv`` (the eval
format: ``id,company,contact,phone,email,address,uscc``) and ``truth.csv`` (``id,entity``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import phonenumbers
from pypinyin import lazy_pinyin

from dedupe._spellings import Entity, address_text, company_text, contact_text, email_text, phone_text
from dedupe._vocab import (
    BUILDINGS,
    CITIES,
    DEPARTMENTS,
    GIVEN,
    INDUSTRIES,
    LEGAL_FORMS,
    ROADS,
    SOURCES,
    SURNAMES,
    TRADE_CHARS,
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
SWITCHBOARDS = 0.05  # of companies: in a building whose tenants share one switchboard number
_TENANTS = 6  # at most, per shared switchboard
_SIZES = (1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.taken: set[tuple[str, str, int]] = set()
        self.domains: set[str] = set()
        self.switchboards: dict[str, tuple[str, int]] = {}  # city -> its open switchboard, tenants

    def entity(self, key: str, like: Entity | None) -> Entity:
        rng = self.rng
        for attempt in itertools.count():
            if attempt == 50:  # every city and industry of this name is taken: a fresh company
                like = None
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
        persons = tuple(
            (
                rng.choice(SURNAMES),
                "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                rng.choice(DEPARTMENTS),
            )
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))  # a company often has several contacts
        )
        phones = tuple(self.phone(area) for _ in persons)
        domain = self.domain(trade, key) if rng.random() < 0.5 else None
        address = (
            rng.choice(districts),
            f"{rng.choice(ROADS)}{rng.randint(1, 999)}号",
            rng.choice(BUILDINGS),
        )
        org = "".join(rng.choice(_USCC_CHARS) for _ in range(9))
        first17 = "91" + adcode + org
        legal = rng.choice(LEGAL_FORMS)
        switchboard = self.switchboard(city, area) if rng.random() < SWITCHBOARDS else None
        return Entity(
            key,
            city,
            trade,
            industry,
            legal,
            phones,
            domain,
            persons,
            address,
            first17 + uscc_check_char(first17),
            switchboard,
        )

    def switchboard(self, city: str, area: str) -> str:
        """The number of the city's building that still lets offices; a new one once it is full."""
        number, tenants = self.switchboards.get(city, ("", _TENANTS))
        if tenants >= _TENANTS:
            number, tenants = self.landline(area), 0
        self.switchboards[city] = (number, tenants + 1)
        return number

    def domain(self, trade: str, key: str) -> str:
        """A mail domain of the company's own: a registered domain belongs to one company."""
        rng, stem = self.rng, "".join(lazy_pinyin(trade))
        for attempt in itertools.count():
            domain = stem + rng.choice(("", "-med", "-tech", "group", "-cn", str(rng.randrange(100))))
            domain += rng.choice((".com", ".cn", ".com.cn"))
            if attempt >= 20:  # a big family of namesakes took the usual ones
                domain = f"{key}-{domain}"
            if domain not in self.domains:
                break
        self.domains.add(domain)
        return domain

    def phone(self, area: str) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        return self.landline(area)

    def landline(self, area: str) -> str:
        rng = self.rng
        while True:  # a landline that phonenumbers accepts for the city (7 or 8 digits)
            digits = area + str(rng.randint(2, 8)) + f"{rng.randrange(10**7):07d}"[: rng.choice((6, 7))]
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN")):
                return digits

    def record(self, e: Entity, record_id: str) -> Record:
        rng = self.rng

        def maybe(share: float, make: Callable[[], str]) -> str:
            return make() if rng.random() < share else ""

        person = 0 if rng.random() < 0.6 else rng.randrange(len(e.persons))

        return Record(
            id=record_id,
            company=maybe(0.97, lambda: company_text(rng, e)),
            contact=maybe(0.75, lambda: contact_text(rng, e, person)),
            phone=maybe(0.8, lambda: phone_text(rng, e, person)),
            email=maybe(0.35, lambda: email_text(rng, e, person)),
            address=maybe(0.55, lambda: address_text(rng, e)),
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
