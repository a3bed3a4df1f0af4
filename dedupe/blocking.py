"""Blocking: which records are compared at all. Never all pairs.

Rules, each a key that two records must share to become a candidate pair:

| rule | key |
|---|---|
| uscc | the validated USCC |
| phone | the E.164 number |
| email | the address |
| core | the company core (智联医械) in any region: finds the namesake in another city too |
| homophone | region + the pinyin of the core (zhilianyixie): 志联医械 meets 智联医械 in 杭州 |
| name_gram | region (city, else province) + a bigram of the trade name (智联; a Latin word) |
| address | city + road and number (文三路90号), for records without a usable name |
| contact | city + the contact's full name (two characters or more) |
| domain | a company's own mail domain (free mail such as qq.com or 163.com is no key) |
| sound | the trade name's sound (zhilian), across scripts only: an English name meets the Chinese ones |

The sound rule pairs an English name (``dedupe._latin``) with Chinese ones and never two names of one
script (those have the homophone rule): a record files its key under its own script and looks up the
other script's (:func:`lookup_key`). Two Chinese names sharing a sound anywhere in the country would
double the candidate pairs.

Every key holds at most ``max_block`` records; a key that fills up is closed (it is too common to
tell companies apart, like 医械 within 杭州) and yields no more pairs, and each record is compared
with at most ``max_candidates`` others (those sharing the most keys first). So a run compares at
most ``n * max_candidates`` pairs, whatever the data. :func:`count_pairs` counts what each rule
would yield before anything is compared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from dedupe.records import Prepared

__all__ = [
    "MAX_BLOCK",
    "MAX_CANDIDATES",
    "RULES",
    "BlockingStats",
    "block_keys",
    "count_pairs",
    "lookup_key",
    "phone_key",
]

RULES: tuple[str, ...] = (
    "uscc",
    "phone",
    "email",
    "core",
    "homophone",
    "name_gram",
    "address",
    "contact",
    "domain",
    "sound",
)
MAX_BLOCK = 100
SOUND = RULES.index("sound")
_STREET = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:路|街|大道|大街|道|巷|弄|胡同)\d+号?")
MAX_CANDIDATES = 200


@dataclass
class BlockingStats:
    """What blocking did: pairs contributed per rule (a pair found by two rules counts in both)."""

    pairs_by_rule: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RULES, 0))
    candidate_pairs: int = 0  # distinct pairs compared
    closed_keys: int = 0  # keys that reached max_block
    truncated_records: int = 0  # records whose candidates were cut at max_candidates
    decisions: dict[str, int] = field(default_factory=lambda: {"merge": 0, "review": 0, "distinct": 0})

    def as_dict(self) -> dict[str, object]:
        return {
            "pairs_by_rule": dict(self.pairs_by_rule),
            "candidate_pairs": self.candidate_pairs,
            "closed_keys": self.closed_keys,
            "truncated_records": self.truncated_records,
            "decisions": dict(self.decisions),
        }


def _grams(core: str) -> list[str]:
    if core.isascii():
        return [w for w in core.split() if len(w) >= 2] or [core]
    if len(core) <= 2:
        return [core]
    return list(dict.fromkeys([core[i : i + 2] for i in range(len(core) - 1)]))


def _street(address: str) -> str | None:
    """Road and number (文三路90号), without the district in front of it."""
    found = _STREET.search(address)
    if found is None:
        return None
    street = found.group(0)
    return street[max(map(street.rfind, "区县市镇")) + 1 :]


def block_keys(p: Prepared) -> list[tuple[int, str]]:
    """(rule index, key) for every rule that applies to ``p``."""
    keys: list[tuple[int, str]] = []
    if p.uscc:
        keys.append((0, "u" + p.uscc))
    if p.phone:
        keys.append((1, phone_key(p.phone)))
    if p.email:
        keys.append((2, "e" + p.email))
    if p.core:
        keys.append((3, "c" + p.core))
        region = p.city or p.province or ""
        if p.pinyin and p.pinyin != p.core:
            keys.append((4, f"h{region}|{p.pinyin}"))
        keys.extend((5, f"g{region}|{gram}") for gram in _grams(p.trade or p.core))
    if p.city:
        if p.address and (street := _street(p.address)):
            keys.append((6, f"a{p.city}|{street}"))
        if p.person and len(p.person) >= 2:
            keys.append((7, f"n{p.city}|{p.person}"))
    if p.domain:
        keys.append((8, "d" + p.domain))
    if p.sound:
        keys.append((SOUND, ("yL" if p.latin else "yC") + p.sound))
    return keys


def phone_key(phone: str) -> str:
    """The phone rule's key of an E.164 number."""
    return "p" + phone


def lookup_key(rule: int, key: str) -> str:
    """The key a record looks up for one of its own keys: the same key, but the other script's for
    the sound rule."""
    if rule != SOUND:
        return key
    return ("yC" if key[1] == "L" else "yL") + key[2:]


def count_pairs(records: Iterable[Prepared], max_block: int = MAX_BLOCK) -> dict[str, int]:
    """Pairs each rule would yield on ``records`` (blocks past ``max_block`` yield none), and the total.

    Counted from block sizes alone, before any comparison, so a new rule can be sized up first.
    """
    sizes: Counter[tuple[int, str]] = Counter()
    for p in records:
        sizes.update(block_keys(p))
    out = dict.fromkeys(RULES, 0)
    for (rule, key), n in sizes.items():
        if rule == SOUND:  # English x Chinese, counted once from the English side
            other = sizes.get((rule, lookup_key(rule, key)), 0)
            if key[1] == "L" and n <= max_block and other <= max_block:
                out[RULES[rule]] += n * other
        elif n <= max_block:
            out[RULES[rule]] += n * (n - 1) // 2
    out["total"] = sum(out[r] for r in RULES)
    return out
