"""Shared switchboards: one landline answered for several companies.

A phone number both records give is strong evidence (14.6 bits counted on our generator before it
had switchboards): it is usually a buyer's own mobile or the company's own line. But the front desk
of a serviced office building or an industrial park answers one number for all its tenants, and a
branch office may give its head office's switchboard; then the same number says only "same
building". On the independently written china_b2b set such numbers were behind two in five of the
wrong automatic merges (about 200 of 518 at 63k records, 95 of them a record with no company name
and a park's number; 2026-12-07).

A number is taken as shared once two records carrying it name two different companies
(:func:`names_differ`: 智联医械 against 鼎盛物流; a name cut short, garbled, a homophone or an English
spelling is the same company); every pair on that number then gets the phone level
``shared`` instead of ``exact``, with its own counted weight. Known from the records indexed when a
record arrives (itself included), in the full run and in lead-by-lead matching alike, so both decide
the same. What it cannot see: a record with no company name that arrives while only one tenant has
given the number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz.distance import Indel

from dedupe._fields import pinyin
from dedupe.compare import FIELDS, LEVELS, Levels, _name
from dedupe.records import Prepared

__all__ = ["is_shared", "mark_shared", "names_differ"]

PHONE = FIELDS.index("phone")
EXACT, SHARED = LEVELS["phone"].index("exact"), LEVELS["phone"].index("shared")
_ELSE = LEVELS["name"].index("else")
ALIKE = 0.51  # more than half of the shorter name's syllables kept: maybe one company


def names_differ(a: Prepared, b: Prepared) -> bool:
    """Do ``a`` and ``b`` name two different companies? Nothing alike (``else``), and at most half
    of the shorter trade name's syllables in the longer: a name garbled, cut short or swapped
    (金自源动, 呼和郝特美润机械 against 金源自动化设备, 美润) keeps most of them, two tenants rarely do
    (航致化工 and 安航咨询 share one of two). An English name is held against the Chinese one's sound
    (one inside the other, or mostly alike). A missing name names none."""
    if a.core is None or b.core is None or a.core == b.core:
        return False
    if a.latin or b.latin:
        x, y = sorted((a.sound or a.core, b.sound or b.core), key=len)
        return x not in y and Indel.normalized_similarity(x, y) < ALIKE
    return _name(a, b) == _ELSE and _kept(a.stem or a.core, b.stem or b.core) < ALIKE


def _kept(a: str, b: str) -> float:
    """The share of the shorter trade name's syllables found in the longer one (美润 in 呼和郝特美润;
    万统 in 万通无锡分: a typo keeps the sound), on stems: two tenants in one trade (速铭食品,
    睿赛食品) share their industry word."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    found = Counter(map(pinyin, short)) & Counter(map(pinyin, long))
    return sum(found.values()) / len(short)


def is_shared(records: Sequence[Prepared], posting: list[int] | None, new: Prepared) -> bool:
    """Does ``new`` name another company than one of the records at ``posting`` (the older ones with
    its phone; None: so many that the blocking key closed, which no single company's number does)?"""
    if posting is None:
        return True
    return new.core is not None and any(names_differ(records[position], new) for position in posting)


def mark_shared(levels: Levels) -> Levels:
    """``levels`` with an exact phone turned into a shared one."""
    if levels[PHONE] != EXACT:
        return levels
    return (*levels[:PHONE], SHARED, *levels[PHONE + 1 :])
