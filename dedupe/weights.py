"""Weights of each comparison level, the pair score, the decision and its explanation.

The model is Fellegi-Sunter as in Splink: for each field and level, ``m`` = how often matching
pairs land there and ``u`` = how often non-matching candidate pairs do; the level's weight is
``log2(m / u)`` (a Bayes factor in bits) shaped to travel (``dedupe.shape``), and a pair's score is
the prior log-odds plus the weights of its levels (a null level weighs 0). Here m and u are
*counted* on labelled pairs (see ``dedupe.calibrate``), stored as counts in
``dedupe/data/weights.json``, and refined by adding the levels of pairs that admins approved (to m)
or rejected (to u), so each decision moves the weights.

Decision: score >= ``merge`` -> merge; >= ``review`` -> review; else distinct. A guard caps a pair at
review whatever its score when no identifying field agrees (same name, phone, e-mail or company
mail domain, USCC, address or the buyer's full name), or when the two records name another city or
province, another industry, or another USCC (the same trade name in another city is usually another
company); the same USCC lifts the guard for a region or industry difference.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from dedupe.compare import FIELDS, LEVELS, Levels
from dedupe.shape import PERSON_FIELDS, person_overlap, shape

__all__ = ["GUARDED_BAND", "REVIEW_DECISION_WEIGHT", "Decision", "Model", "load_model"]

REVIEW_DECISION_WEIGHT = 5.0  # one admin decision counts as this many labelled pairs
# A pair a guard names a reason for (another city, industry or USCC) is reviewed from this many bits
# below the merge threshold: the same phone and name in another city is worth a look (a move, a
# second site); an unguarded pair is reviewed only from ``review`` on, just below ``merge``.
GUARDED_BAND = 8.0
_REGION, _INDUSTRY, _USCC = FIELDS.index("region"), FIELDS.index("industry"), FIELDS.index("uscc")
_OTHER_PLACE = {LEVELS["region"].index("other_city"), LEVELS["region"].index("other_province")}
_INDUSTRY_ELSE = LEVELS["industry"].index("else")
_USCC_EXACT, _USCC_ELSE = LEVELS["uscc"].index("exact"), LEVELS["uscc"].index("else")
_PERSON = tuple(
    (FIELDS.index(name), LEVELS[name].index(level), name) for name, level in PERSON_FIELDS.items()
)
_IDENTIFYING: tuple[tuple[int, frozenset[int]], ...] = tuple(
    (FIELDS.index(name), frozenset(LEVELS[name].index(level) for level in levels))
    for name, levels in {
        "name": ("exact_city", "exact", "exact_elsewhere", "homophone", "fuzzy_high"),
        "phone": ("exact",),
        "email": ("exact", "domain"),  # a company's own mail domain (free mail never counts)
        "uscc": ("exact",),
        "address": ("fuzzy_high",),
        # the buyer's full name, like the buyer's phone: 王建国 at 宏达化学 and at 宏达化学有限公司
        "contact": ("exact",),
    }.items()
)


@dataclass(frozen=True, slots=True)
class Decision:
    score: float
    decision: str  # merge | review | distinct
    guard: str | None  # why a high score was held at review, if it was


def _zero_counts() -> dict[str, list[float]]:
    return {name: [0.0] * len(LEVELS[name]) for name in FIELDS}


@dataclass
class Model:
    """Level counts among matches (m) and non-matches (u), the pair counts, and the thresholds."""

    m: dict[str, list[float]] = field(default_factory=_zero_counts)
    u: dict[str, list[float]] = field(default_factory=_zero_counts)
    matches: float = 1.0
    non_matches: float = 1.0
    merge: float = 10.0
    review: float = 4.0
    note: str = ""
    latin_merge: float | None = None  # thresholds for two Latin-script names; None: merge / review
    latin_review: float | None = None
    # weights for two Latin-script names estimated on the data being matched (``dedupe.em``); None: ours
    latin_model: Model | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.prior = math.log2(max(self.matches, 1e-9) / max(self.non_matches, 1e-9))
        self.table: tuple[tuple[float, ...], ...] = tuple(self._weights(name) for name in FIELDS)
        if self.latin_merge is None:
            self.latin_merge = self.merge
        if self.latin_review is None:
            self.latin_review = min(self.review, self.latin_merge)
        # a few thousand distinct level tuples at most, per script
        self._decided: dict[Levels, Decision] = {}
        self._decided_latin: dict[Levels, Decision] = {}

    def thresholds(self, latin: bool = False) -> tuple[float, float]:
        """(merge, review) for a pair of names in Chinese (or mixed), or both in Latin script."""
        if latin:
            assert self.latin_merge is not None and self.latin_review is not None
            return self.latin_merge, self.latin_review
        return self.merge, self.review

    def _weights(self, name: str) -> tuple[float, ...]:
        m, u = self.m[name], self.u[name]
        m_total, u_total, size = sum(m[1:]), sum(u[1:]), len(m) - 1
        out = [0.0]
        for level in range(1, len(m)):
            pm = (m[level] + 0.5) / (m_total + 0.5 * size)
            pu = (u[level] + 0.5) / (u_total + 0.5 * size)
            out.append(round(math.log2(pm / pu), 4))
        return tuple(shape(name, LEVELS[name], out))

    def score(self, levels: Levels) -> float:
        table = self.table
        total = self.prior + sum(table[i][level] for i, level in enumerate(levels))
        return total - sum(self._overlap(levels).values())

    def _overlap(self, levels: Levels) -> dict[str, float]:
        """The person-field disagreements not counted (``dedupe.shape.person_overlap``)."""
        return person_overlap([(name, self.table[i][lv]) for i, lv, name in _PERSON if levels[i] == lv])

    def decide(self, levels: Levels, latin: bool = False) -> Decision:
        """The decision on a pair; ``latin``: both names are Latin script (see ``thresholds``)."""
        if latin and self.latin_model is not None:
            return self.latin_model.decide(levels, True)
        cache = self._decided_latin if latin else self._decided
        decided = cache.get(levels)
        if decided is None:
            decided = cache[levels] = self._decide(levels, *self.thresholds(latin))
        return decided

    def _decide(self, levels: Levels, merge: float, review: float) -> Decision:
        score = self.score(levels)
        if score < min(review, merge - GUARDED_BAND):
            return Decision(score, "distinct", None)
        guard = _guard(levels)
        if score < review and (guard is None or guard == _NO_IDENTIFYING):
            return Decision(score, "distinct", None)
        if score >= merge and guard is None:
            return Decision(score, "merge", None)
        if guard == _NO_IDENTIFYING and score < merge:
            # Nothing that identifies a company agrees and the score is not even a merge's: an admin
            # would have nothing to decide on. Distinct, not one more pair in the queue.
            return Decision(score, "distinct", guard)
        return Decision(score, "review", guard)

    def explain(
        self, levels: Levels, shown: dict[str, tuple[Any, Any]] | None = None, latin: bool = False
    ) -> dict[str, Any]:
        """Per field: the level hit, its weight, and (for non-personal fields) the two values."""
        if latin and self.latin_model is not None:
            return {**self.latin_model.explain(levels, shown, True), "weights": "estimated on this data (EM)"}
        decision = self.decide(levels, latin)
        merge, review = self.thresholds(latin)
        fields: dict[str, Any] = {}
        overlap = self._overlap(levels)
        for i, name in enumerate(FIELDS):
            entry: dict[str, Any] = {"level": LEVELS[name][levels[i]], "weight": self.table[i][levels[i]]}
            if name in overlap:  # the weights shown add up to the score
                entry.update(weight=0.0, note="another person: counted once")
            if shown and name in shown:
                entry["values"] = list(shown[name])
            fields[name] = entry
        return {
            "score": round(decision.score, 3),
            "probability": round(1.0 / (1.0 + 2.0 ** (-decision.score)), 4),
            "prior": round(self.prior, 3),
            "decision": decision.decision,
            "guard": decision.guard,
            "thresholds": {"merge": merge, "review": review, "script": "latin" if latin else "chinese"},
            "fields": fields,
        }

    def refine(
        self, decisions: Iterable[tuple[Levels, bool]], weight: float = REVIEW_DECISION_WEIGHT
    ) -> Model:
        """A new model with admins' decisions added: approved pairs to m, rejected ones to u."""
        m = {k: list(v) for k, v in self.m.items()}
        u = {k: list(v) for k, v in self.u.items()}
        matches, non_matches = self.matches, self.non_matches
        for levels, same in decisions:
            target = m if same else u
            for i, name in enumerate(FIELDS):
                target[name][levels[i]] += weight
            if same:
                matches += weight
            else:
                non_matches += weight
        return replace(self, m=m, u=u, matches=matches, non_matches=non_matches)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "note": self.note,
            "fields": list(FIELDS),
            "levels": LEVELS,
            "m": self.m,
            "u": self.u,
            "matches": self.matches,
            "non_matches": self.non_matches,
            "thresholds": {
                "merge": self.merge,
                "review": self.review,
                "latin_merge": self.latin_merge,
                "latin_review": self.latin_review,
            },
            "weights": {
                name: dict(zip(LEVELS[name], self.table[i], strict=True)) for i, name in enumerate(FIELDS)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if data.get("levels") != {k: list(v) for k, v in LEVELS.items()}:
            raise ValueError("weights file was made for other comparison levels: recalibrate")
        return cls(
            m={k: [float(x) for x in data["m"][k]] for k in FIELDS},
            u={k: [float(x) for x in data["u"][k]] for k in FIELDS},
            matches=float(data["matches"]),
            non_matches=float(data["non_matches"]),
            merge=float(data["thresholds"]["merge"]),
            review=float(data["thresholds"]["review"]),
            note=str(data.get("note", "")),
            latin_merge=_optional(data["thresholds"].get("latin_merge")),
            latin_review=_optional(data["thresholds"].get("latin_review")),
        )


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


_NO_IDENTIFYING = "no identifying field agrees"


def _guard(levels: Levels) -> str | None:
    if not any(levels[i] in wanted for i, wanted in _IDENTIFYING):
        return _NO_IDENTIFYING
    if levels[_USCC] == _USCC_ELSE:
        return "different USCC"
    if levels[_USCC] == _USCC_EXACT:
        return None
    if levels[_REGION] in _OTHER_PLACE:
        return "another city or province"
    if levels[_INDUSTRY] == _INDUSTRY_ELSE:
        return "another industry"
    return None


def load_model(path: Path | None = None) -> Model:
    """The packaged weights (``dedupe/data/weights.json``), or those in ``path``."""
    if path is None:
        text = resources.files("dedupe").joinpath("data", "weights.json").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return Model.from_json(json.loads(text))
