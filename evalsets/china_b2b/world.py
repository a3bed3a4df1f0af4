"""The real-world companies (entities): trade names, hard negatives, branches, parks, domains, USCCs."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from random import Random
from typing import NamedTuple

from evalsets.china_b2b import tables
from evalsets.china_b2b.rates import ENTITY_KINDS, Tally
from evalsets.china_b2b.tables import City, Industry
from evalsets.china_b2b.text import make_uscc, phrase_pinyin, pinyin

_TRADE_CHARS = tuple(dict.fromkeys(tables.TRADE_CHARS))
_FORMS = tuple(tables.LEGAL_FORMS)
_FORM_WEIGHTS = tuple(tables.LEGAL_FORMS.values())


class Address(NamedTuple):
    city: City
    district: str
    street: str
    number: int
    suffix: str  # 东部软件园A座1203室, 华润大厦12楼, 3号厂房


class Park(NamedTuple):
    """A building or park whose companies share one switchboard (a trap for phone matching)."""

    street: str
    number: int
    name: str
    district: tuple[str, str]  # name and division code
    landline: tuple[str, str]


@dataclass(slots=True)
class Company:
    idx: int
    kind: str
    trade: str
    city: City
    region: str  # the place word of the registered name: 杭州, or the province: 浙江
    industry: Industry
    desc: str  # 医疗器械
    form: str  # 有限公司; "" for a branch
    uscc: str
    address: Address
    second_address: Address | None
    landline: tuple[str, str] | None  # (area code, local number)
    domain: str | None
    parent: Company | None = None  # the head office of a branch


class World:
    def __init__(self, rng: Random, tally: Tally) -> None:
        self.rng = rng
        self.tally = tally
        self.companies: list[Company] = []
        self.heads: list[Company] = []  # companies that are not branches
        self.keys: set[tuple[str, ...]] = set()  # membership only, never iterated (hash order)
        self.domains: set[str] = set()
        self.parks: dict[str, list[Park]] = {}

    def landline(self, city: City) -> tuple[str, str]:
        rest = 6 if len(city.area) == 4 and self.rng.random() < 0.2 else 7  # 7- or 8-digit numbers
        return city.area, f"{self.rng.randint(2, 8)}{self.rng.randrange(10**rest):0{rest}d}"

    def address(self, city: City, district: str, industry: Industry) -> Address:
        r = self.rng
        number = r.choice((r.randint(1, 30), r.randint(1, 200), r.randint(1, 1500)))
        floor, room, how = r.randint(1, 28), r.randint(1, 20), r.randrange(4)
        if how == 0:
            suffix = f"{r.choice('ABCDE')}座{floor}{room:02d}室"
        elif how == 1:
            suffix = f"{r.choice(tables.TOWERS)}{floor}楼"
        elif how == 2:
            suffix = f"{r.randint(1, 12)}号楼{floor}{room:02d}室"
        elif industry.key in ("machinery", "chemicals", "food"):
            suffix = f"{r.randint(1, 9)}号厂房"
        else:
            suffix = ""
        return Address(city, district, r.choice(tables.STREETS), number, suffix)

    def park(self, city: City) -> Park:
        parks = self.parks.setdefault(city.name, [])
        if not parks or self.rng.random() < 1 / 6:  # about six companies per shared switchboard
            number = self.rng.randint(1, 400)
            district = self.rng.choice(city.districts)
            name = self.rng.choice(tables.PARKS)
            parks.append(Park(self.rng.choice(tables.STREETS), number, name, district, self.landline(city)))
        return self.rng.choice(parks)

    def domain(self, trade: str, city: City, industry: Industry) -> str:
        r = self.rng
        py = pinyin(trade)
        stems = ["".join(py), "".join(py) + "-" + industry.token, "".join(p[0] for p in py) + industry.token]
        stems.append("".join(p[0] for p in phrase_pinyin(city.name)) + "".join(py))
        numbered = (f"{stems[0]}{r.randint(1, 9999)}" for _ in range(1000))
        for stem in chain(r.sample(stems, len(stems)), numbered):
            name = stem + r.choices((".com", ".com.cn", ".cn"), (0.6, 0.25, 0.15))[0]
            if name not in self.domains:
                self.domains.add(name)
                return name
        raise RuntimeError("no free domain")  # pragma: no cover

    def _fresh_trade(self) -> str:
        return "".join(self.rng.sample(_TRADE_CHARS, 2 if self.rng.random() < 0.8 else 3))

    def _draw(self, kind: str) -> tuple[str, City, Industry, Company | None] | None:
        """Trade name, city, industry and the company it is derived from, for one entity kind."""
        r = self.rng
        if kind in ("fresh", "generic"):
            trade = r.choice(tables.GENERIC_TRADES) if kind == "generic" else self._fresh_trade()
            return trade, r.choice(tables.CITIES), r.choice(tables.INDUSTRIES), None
        if not self.heads:
            return None
        base = r.choice(self.heads)
        others = [c for c in tables.CITIES if c is not base.city]
        other_industries = [i for i in tables.INDUSTRIES if i is not base.industry]
        if kind == "branch":
            return base.trade, r.choice(others), base.industry, base
        if kind == "same_trade_other_city":
            industry = base.industry if r.random() < 0.6 else r.choice(other_industries)
            return base.trade, r.choice(others), industry, base
        if kind == "same_trade_same_city":
            return base.trade, base.city, r.choice(other_industries), base
        # group_member: a sister company of the same group, often in the same city
        return (
            base.trade,
            base.city if r.random() < 0.5 else r.choice(others),
            r.choice(other_industries),
            base,
        )

    def new_company(self) -> Company:
        """One more legal entity. Registered names are unique per (trade name, city, trade word), so
        杭州宏达机械 and 杭州宏达精密机械 may both exist; a branch is unique per (head office, city)."""
        r = self.rng
        kind = r.choices(tuple(ENTITY_KINDS), tuple(ENTITY_KINDS.values()))[0]
        for attempt in range(40):
            if attempt == 30:
                kind = "fresh"  # the derived names are all taken: fall back to a new trade name
            drawn = self._draw(kind)
            if drawn is None:
                kind = "fresh"
                continue
            trade, city, industry, base = drawn
            desc = base.desc if kind == "branch" and base else r.choice(industry.descs)
            key = (
                ("branch", str(base.idx), city.name)
                if kind == "branch" and base
                else (trade, city.name, desc)
            )
            if key not in self.keys:
                self.keys.add(key)
                break
        else:  # pragma: no cover
            raise RuntimeError("no free company name")
        self.tally.pick("entity", kind)
        district, division = r.choice(city.districts)
        address = self.address(city, district, industry)
        landline: tuple[str, str] | None = None
        domain: str | None = None
        if kind == "branch" and base is not None:
            parent: Company | None = base
            region, form = base.region, ""
            domain = base.domain
            if base.landline is not None and self.tally.flag("entity:branch_shares_switchboard"):
                landline = base.landline
        else:
            parent = None
            use_province = city.province and r.random() < 0.2
            region = city.province_short if use_province else city.name
            form = r.choices(_FORMS, _FORM_WEIGHTS)[0]
            if kind == "group_member" and base is not None and base.domain is not None:
                domain = base.domain
            elif self.tally.flag("entity:corporate_domain"):
                domain = self.domain(trade, city, industry)
            if self.tally.flag("entity:shared_switchboard"):
                park = self.park(city)
                landline = park.landline
                suffix = f"{park.name}{r.choice('ABCDEFG')}座{r.randint(1, 20)}{r.randint(1, 30):02d}室"
                address = Address(city, park.district[0], park.street, park.number, suffix)
                division = park.district[1]
        if landline is None and self.tally.flag("entity:has_landline"):
            landline = self.landline(city)
        second = (
            self.address(city, r.choice(city.districts)[0], industry)
            if self.tally.flag("entity:second_site")
            else None
        )
        uscc = make_uscc(r, division)
        company = Company(
            len(self.companies), kind, trade, city, region, industry, desc, form, uscc,
            address, second, landline, domain, parent,
        )  # fmt: skip
        self.companies.append(company)
        if parent is None:
            self.heads.append(company)
        return company
