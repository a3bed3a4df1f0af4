"""Every kind of variation and its rate, in one place: the generator draws with these numbers, the
README documents them and the test checks the counts against them.

Two shapes of key: ``prefix=choice`` is one choice of a categorical draw (its denominator is every
draw of ``prefix``), ``prefix:flag`` is a yes/no draw (its denominator is every time it was drawn,
i.e. every eligible record or entity).
"""

from __future__ import annotations

from bisect import bisect
from collections import defaultdict
from itertools import accumulate
from random import Random

FIELDS = ("company", "contact", "phone", "email", "address", "uscc")

# source system of a record: its weight, and how often each field is filled in it. When the company
# is missing, contact and phone are always present (an ad lead with only a person and a mobile).
SOURCES: dict[str, tuple[float, dict[str, float]]] = {
    source: (weight, dict(zip(FIELDS, fill, strict=True)))
    for source, weight, fill in (
        # source, weight, (company, contact, phone, email, address, uscc)
        ("crm", 0.45, (1.0, 0.9, 0.9, 0.5, 0.75, 0.45)),
        ("ad_lead", 0.35, (0.8, 0.95, 0.97, 0.2, 0.15, 0.02)),
        ("spreadsheet", 0.2, (0.95, 0.7, 0.8, 0.3, 0.5, 0.3)),
    )
}

ENTITY_KINDS: dict[str, float] = {
    "fresh": 0.71,  # a new trade name
    "generic": 0.10,  # 宏达, 鑫源, 恒信 ...: shared by unrelated companies across cities and trades
    "branch": 0.07,  # 分公司 of an earlier company in another city: its own entity
    "same_trade_other_city": 0.06,  # 杭州智联 vs 苏州智联: unrelated
    "same_trade_same_city": 0.04,  # 智联医疗器械 vs 智联物流 in one city: unrelated
    "group_member": 0.02,  # sister company of one group: own entity, shares the group's e-mail domain
}

CATEGORIES: dict[str, dict[str, float]] = {
    "entity": ENTITY_KINDS,
    "source": {name: weight for name, (weight, _) in SOURCES.items()},
    "name": {
        "full": 0.49,  # 杭州智联医疗器械有限公司
        "bracket_region": 0.10,  # 智联医疗器械(杭州)有限公司
        "no_region": 0.10,  # 智联医疗器械有限公司
        "short": 0.10,  # 杭州智联医疗
        "trade_abbrev": 0.08,  # 智联医械
        "city_trade": 0.06,  # 杭州智联
        "trade_only": 0.04,  # 智联
        "english": 0.03,  # Hangzhou Zhilian Medical Co., Ltd.
    },
    "contact": {
        "full": 0.63,  # 王建国
        "full_title": 0.12,  # 王建国经理, 王建国(采购经理)
        "surname_title": 0.18,  # 王总, 张工, 陈老师, 刘女士
        "dept_surname": 0.07,  # 采购部刘女士
    },
    "mobile": {
        "plain": 0.62,  # 13812345678
        "spaced": 0.15,  # 138 1234 5678
        "dashed": 0.10,  # 138-1234-5678
        "plus86_spaced": 0.08,  # +86 138 1234 5678
        "plus86": 0.05,  # +8613812345678
    },
    "landline": {
        "dashed": 0.53,  # 0571-88881234
        "compact": 0.12,  # 057188881234
        "paren_spaced": 0.08,  # (0571) 8888 1234
        "paren": 0.06,  # (0571)88881234
        "spaced": 0.06,  # 0571 8888 1234
        "no_area_code": 0.10,  # 88881234
        "intl": 0.05,  # +86 571 8888 1234
    },
    "address": {
        "full": 0.45,  # 浙江省杭州市西湖区文三路90号...
        "no_province": 0.25,  # 杭州市西湖区文三路90号...
        "city_street": 0.10,  # 杭州市文三路90号...
        "street_only": 0.10,  # 文三路90号...
        "no_district": 0.05,  # 浙江省杭州市文三路90号...
        "city_no_shi": 0.05,  # 杭州西湖区文三路90号...
    },
}

FLAGS: dict[str, float] = {
    "entity:corporate_domain": 0.5,  # of companies that are neither branches nor group members
    "entity:shared_switchboard": 0.05,  # of non-branches: in a park whose companies share one number
    "entity:branch_shares_switchboard": 0.5,  # of branches whose head office has a switchboard
    "entity:has_landline": 0.7,  # of companies without a shared or inherited switchboard
    "entity:second_site": 0.15,  # a second address (factory, warehouse, old office)
    "name:legal_form_swap": 0.08,  # 有限公司 <-> 有限责任公司, of names that carry a legal form
    "name:legal_form_wrong": 0.02,  # 股份有限公司 <-> 有限公司, of names that carry a legal form
    "name:halfwidth_brackets": 0.4,  # () instead of （）, of bracket_region names
    "name:homophone_typo": 0.05,  # 智联 -> 志联, of Chinese names
    "name:near_form_typo": 0.03,  # 泰 -> 秦, of Chinese names with such a character
    "name:dropped_char": 0.02,  # of Chinese names
    "name:swapped_chars": 0.015,  # two adjacent characters swapped, of Chinese names
    "contact:homophone_typo": 0.02,  # of contacts with a full name
    "phone:landline": 0.35,  # the switchboard rather than the mobile, of phones where both exist
    "phone:two_numbers": 0.04,  # "mobile/landline" in one field, of phones where both exist
    "phone:extension": 0.10,  # -801, 转801, of landlines
    "phone:digit_typo": 0.02,  # one digit wrong, of phones
    "email:corporate": 0.75,  # of e-mails of people at a company with its own domain
    "email:role_mailbox": 0.15,  # sales@, info@, of corporate e-mails
    "email:qq_digits": 0.45,  # 12345678@qq.com, of people (the free-mail address each one has)
    "email:uppercase": 0.02,  # of e-mails
    "address:second_site": 0.3,  # of addresses of companies with a second site
    "address:drop_suffix": 0.25,  # building / room dropped, of addresses
    "address:chinese_numerals": 0.03,  # 九十号, of addresses
    "address:traditional_hao": 0.02,  # 號, of addresses
    "uscc:typo": 0.04,  # one character wrong, swapped, dropped, O for 0 or lower case, of USCCs
}

# records per company: mean 2.10
CLUSTER_SIZES: dict[int, float] = {
    1: 0.50, 2: 0.25, 3: 0.12, 4: 0.04, 5: 0.035, 6: 0.02, 7: 0.012, 8: 0.01, 9: 0.007, 10: 0.006,
}  # fmt: skip


def expected_presence(field: str) -> float:
    total = 0.0
    for weight, fill in SOURCES.values():
        p = fill[field]
        if field in ("contact", "phone"):
            p = fill["company"] * p + (1 - fill["company"])
        total += weight * p
    return total


def expected_rates() -> dict[str, float]:
    rates = dict(FLAGS)
    for prefix, weights in CATEGORIES.items():
        total = sum(weights.values())
        rates.update({f"{prefix}={choice}": w / total for choice, w in weights.items()})
    rates.update({f"present:{field}": expected_presence(field) for field in FIELDS})
    return rates


class Tally:
    """Draws yes/no and categorical variations with the rates above, and counts them."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.hits: defaultdict[str, int] = defaultdict(int)
        self.seen: defaultdict[str, int] = defaultdict(int)
        self._cum = {p: (tuple(w), tuple(accumulate(w.values()))) for p, w in CATEGORIES.items()}

    def count(self, key: str, hit: bool) -> None:
        self.seen[key] += 1
        if hit:
            self.hits[key] += 1

    def flag(self, key: str) -> bool:
        hit = self.rng.random() < FLAGS[key]
        self.count(key, hit)
        return hit

    def pick(self, prefix: str, choice: str | None = None) -> str:
        """Draw one choice of a category (or record one made elsewhere)."""
        if choice is None:
            names, cum = self._cum[prefix]
            choice = names[bisect(cum, self.rng.random() * cum[-1])]
        self.seen[prefix] += 1
        self.hits[f"{prefix}={choice}"] += 1
        return choice

    def report(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for key, expected in expected_rates().items():
            count, of = self.hits.get(key, 0), self.seen.get(key.split("=")[0], 0)
            out[key] = {"count": count, "of": of, "rate": round(count / of, 5) if of else 0.0}
            out[key]["expected"] = round(expected, 5)
        return out
