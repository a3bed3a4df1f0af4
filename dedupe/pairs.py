"""Scoring many candidate pairs at once: the decisions of ``compare`` + ``Model.decide``, cheaper.

The full run scores every candidate pair but keeps only its merge and review pairs; most pairs
(90% on the china_b2b set) are distinct and only counted. A pair whose decision is already settled
by its cheap fields is counted as distinct without its name chain or its address being compared;
no decision, level or score changes against the reference (``compare.compare`` then
``Model.decide``, one pair at a time):

1. The six cheap levels (region, industry, phone, e-mail, USCC, contact: a comparison or two each)
   are found first. The name level is known at once when a core is missing (null) or both cores
   are equal (exact, exact_city); otherwise it is one of a known set: ``compare`` gives exact or
   exact_city to differing cores only when both are Latin script, and homophone only when the
   pinyin of the cores or of the stems agree, so for other pairs it is one of short, trade,
   fuzzy_high, fuzzy, else. The address level is null, or unknown when both records have one.
2. The model is asked, once per pattern (a few thousand), whether the pair is distinct at every
   level the unknown fields can take. If so, that is the decision: about two thirds of the china_b2b
   pairs end here. Only decisions are asked of the model, so this holds whatever its weights,
   thresholds and guards are.
3. Otherwise the name level is computed (``compare._name``), the question asked again for the
   address alone, and only then the address compared, with ``partial_ratio``'s ``score_cutoff`` at
   the lowest address threshold (a score under it is answered 0, on the same level).

Every pair that is not distinct gets its full, exact levels and the model's score and guard.
``tests/dedupe/test_batch_scoring.py`` holds this against the reference on both labelled sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.fuzz import partial_ratio

from dedupe._fields import pinyin
from dedupe.compare import (
    ADDRESS_HIGH,
    ADDRESS_LOW,
    LEVELS,
    Levels,
    _cross_script_name,
    _name,
    cut_short,
    exact_level,
)
from dedupe.index import ScoredPair
from dedupe.records import Prepared
from dedupe.switchboard import SHARED
from dedupe.weights import Decision, Model

__all__ = ["PairScorer"]


def _levels(field_name: str, *names: str) -> tuple[int, ...]:
    return tuple(LEVELS[field_name].index(name) for name in names)


_ADDRESS_ANY = _levels("address", "fuzzy_high", "fuzzy", "else")
_NAME_LATIN = _levels(
    "name",
    "exact_city",
    "exact",
    "homophone",
    "short",
    "trade",
    "fuzzy_high",
    "fuzzy",
    "else",
    "exact_elsewhere",
)
_NAME_HOMOPHONE = _levels("name", "homophone", "short", "trade", "fuzzy_high", "fuzzy", "else")
_NAME_OTHER = _levels("name", "short", "trade", "fuzzy_high", "fuzzy", "else")
# name "levels" below zero stand for a set of levels in a pattern
_UNKNOWN_LATIN, _UNKNOWN_HOMOPHONE, _UNKNOWN_OTHER, _UNKNOWN_ADDRESS = -1, -2, -3, -1
_NAME_SETS = {_UNKNOWN_LATIN: _NAME_LATIN, _UNKNOWN_HOMOPHONE: _NAME_HOMOPHONE, _UNKNOWN_OTHER: _NAME_OTHER}
_UNSET = Decision(0.0, "unset", None)  # a levels pattern not decided yet


def _address_level(a: str, b: str) -> int:
    score = partial_ratio(a, b, score_cutoff=ADDRESS_LOW)
    if score >= ADDRESS_HIGH:
        return 1
    return 2 if score >= ADDRESS_LOW else 3


@dataclass
class PairScorer:
    """Decides candidate pairs of ``records`` (positions into it) with ``model``.

    :meth:`score` returns the merge and review pairs only, in the order asked; every other pair
    asked is distinct.
    """

    model: Model
    records: Sequence[Prepared]
    cannot_link: set[frozenset[str]] = field(default_factory=set)
    # positions of records whose phone was a switchboard when they came (``dedupe.switchboard``)
    shared_phone: set[int] = field(default_factory=set)
    _stem_pinyin: list[str | None] = field(default_factory=list)
    # per script (index 0: Chinese or mixed, 1: both Latin), per pattern or levels
    _settled: tuple[dict[Levels, bool], dict[Levels, bool]] = field(default_factory=lambda: ({}, {}))
    _verdicts: tuple[dict[Levels, Decision | None], dict[Levels, Decision | None]] = field(
        default_factory=lambda: ({}, {})
    )

    def __post_init__(self) -> None:
        self._stem_pinyin = [pinyin(r.stem) if r.stem else None for r in self.records]

    def _distinct_whatever(self, pattern: Levels, latin: bool) -> bool:
        """Is every pair matching ``pattern`` (a negative level: any of its set) distinct?"""
        names = _NAME_SETS.get(pattern[0], (pattern[0],))
        addresses = _ADDRESS_ANY if pattern[7] == _UNKNOWN_ADDRESS else (pattern[7],)
        decide = self.model.decide
        settled = all(
            decide((name, *pattern[1:7], address), latin).decision == "distinct"
            for name in names
            for address in addresses
        )
        self._settled[latin][pattern] = settled
        return settled

    def _verdict(self, levels: Levels, latin: bool) -> Decision | None:
        """The model's decision, None for distinct (cached per levels: a few thousand patterns)."""
        decision: Decision | None = self.model.decide(levels, latin)
        if decision is not None and decision.decision == "distinct":
            decision = None
        self._verdicts[latin][levels] = decision
        return decision

    def score(self, new: int, candidates: Iterable[int]) -> list[ScoredPair]:
        """The merge and review pairs of record ``new`` with each of ``candidates`` (older records).

        The cheap fields' levels are ``compare``'s, written out here (a call per field and pair cost
        a third of the time); the test holds them against ``compare.compare``.
        """
        out: list[ScoredPair] = []
        records, cannot, settled, verdicts = self.records, self.cannot_link, self._settled, self._verdicts
        stem_pinyin = self._stem_pinyin
        b = records[new]
        b_id, b_latin, b_core, b_pinyin, b_stem = b.id, b.latin, b.core, b.pinyin, stem_pinyin[new]
        b_city, b_province, b_family, b_phone, b_email = b.city, b.province, b.family, b.phone, b.email
        b_domain, b_uscc, b_person, b_address = b.domain, b.uscc, b.person, b.address
        b_shared = new in self.shared_phone
        for old in candidates:
            a = records[old]
            if cannot and frozenset((a.id, b_id)) in cannot:
                continue
            latin = a.latin and b_latin
            core = a.core
            if core is None or b_core is None:
                name = 0
            elif core == b_core:
                name = exact_level(a.city, b_city)
            elif latin:
                name = _UNKNOWN_LATIN
            elif a.latin or b_latin:  # the level is known at once (compare._cross_script_name)
                name = _cross_script_name(a, b)
            elif a.pinyin == b_pinyin or (b_stem is not None and stem_pinyin[old] == b_stem):
                name = _UNKNOWN_HOMOPHONE
            else:
                name = _UNKNOWN_OTHER
            province = a.province
            if province is None or b_province is None:
                region = 0
            elif a.city is not None and b_city is not None:
                region = 1 if a.city == b_city else (3 if province == b_province else 4)
            else:
                region = 2 if province == b_province else 4
            value = a.family
            if value is None or b_family is None:
                industry = 0
            else:
                industry = 1 if value == b_family else (0 if cut_short(core, b_core) else 2)
            value = a.phone
            phone = 0 if value is None or b_phone is None else (1 if value == b_phone else 2)
            if phone == 1 and b_shared:
                phone = SHARED
            value = a.email
            if value is None or b_email is None:
                email = 0
            elif value == b_email:
                email = 1
            else:
                email = 2 if a.domain is not None and a.domain == b_domain else 3
            value = a.uscc
            uscc = 0 if value is None or b_uscc is None else (1 if value == b_uscc else 2)
            value = a.person
            if value is None or b_person is None:
                contact = 0
            elif value == b_person:
                contact = 1
            else:
                contact = 2 if not value.isascii() and value[0] == b_person[0] else 3
            address = 0 if a.address is None or b_address is None else _UNKNOWN_ADDRESS
            if name < 0:  # the same core is a merge or a review more often than not: no question
                pattern = (name, region, industry, phone, email, uscc, contact, address)
                done = settled[latin].get(pattern)
                if done or (done is None and self._distinct_whatever(pattern, latin)):
                    continue
                name = _name(a, b)
                if address:
                    pattern = (name, region, industry, phone, email, uscc, contact, address)
                    done = settled[latin].get(pattern)
                    if done or (done is None and self._distinct_whatever(pattern, latin)):
                        continue
            if address:
                address = _address_level(a.address or "", b_address or "")
            levels = (name, region, industry, phone, email, uscc, contact, address)
            decision = verdicts[latin].get(levels, _UNSET)
            if decision is _UNSET:
                decision = self._verdict(levels, latin)
            if decision is not None:
                out.append(
                    ScoredPair(a.id, b_id, levels, decision.score, decision.decision, decision.guard, latin)
                )
        return out
