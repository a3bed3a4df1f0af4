"""Weights estimated on the data being matched, without labels: expectation-maximisation over the
blocked pairs, as Splink does, with the counted weights as the prior (issue 21).

The counted weights (``dedupe/data/weights.json``) describe our generator's records, and two sets of
Chinese customer records can disagree about what a name pattern means. In ours, 春凯医疗科技 and
春凯健康管理 in one city are two companies (a hard negative: the short name 'short' weighs -1.4
bits); in the independently written china_b2b set, 兴业精密 and 兴业精密机械 in one city are one
company 91% of the time. Latin-script person records (Febrl) differ more still. EM asks the data:
every candidate pair the blocking yields (or a sample of them, see ``SAMPLE_PAIRS``) is compared
once and the level patterns counted; then, from the prior, repeat: each pattern's match probability
under the current model, its score with every rule of ``Model.score`` (E), and the estimated fields'
m and u re-counted from those probabilities, the prior's counts added as ``prior_pairs`` pseudo-pairs
so a level the data rarely shows keeps the prior's say (M). Null levels carry no evidence and are
not estimated. Thresholds stay the prior's: a score is still log-odds in bits.

Scopes (which pairs, which fields):

- ``name``: the name field, on pairs of two Chinese names: how a customer list writes a company's
  name is what differs most between lists. The other fields keep their counted weights: phone,
  e-mail and the buyer's name depend on each other (another buyer differs on all three), which EM's
  independence assumption gets wrong;
- ``latin``: every field, on pairs of two Latin-script names, which then get their own model
  (``Model.latin_model``; Febrl); Chinese pairs keep the counted weights;
- ``name+latin``: both; ``all``: every field on every pair.

Not the default, measured (``synchub dedupe eval``, 2026-12-07): china_b2b 20k F1 0.905 counted,
0.917 ``name``, 0.919 ``all`` (but 120 review pairs per 1,000 records); ours 20k 0.992 -> 0.993;
but ours 200k 0.989 -> 0.986 with ``name`` (precision 0.994 -> 0.987), china_b2b 63k merge
precision 0.990 -> 0.987 and its review queue 49 -> 59 per 1,000; and the estimate would have to be
kept in the store for lead-by-lead matching to agree with the full run. Re-measured that evening with
switchboards and misspelt legal forms: ``all`` china_b2b 63k 0.912 -> 0.922, ours 200k 0.988 -> 0.986.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace

from dedupe.compare import FIELDS, Levels, compare
from dedupe.index import MatchIndex
from dedupe.records import Prepared
from dedupe.switchboard import mark_shared
from dedupe.weights import Model

__all__ = [
    "PRIOR_PAIRS",
    "SAMPLE_PAIRS",
    "SCOPES",
    "candidates_of",
    "estimate",
    "fit",
    "refit",
    "sample_patterns",
]

PRIOR_PAIRS = 1_000.0  # the prior weighs as much as this many pairs
ITERATIONS = 30  # at most; it stops once no weight moves by more than ``CONVERGED`` bits
CONVERGED = 0.001
SCOPES = ("name", "latin", "name+latin", "all")
# About this many candidate pairs are compared for EM (the candidates of every k-th record): level
# shares settle long before, and comparing every pair of a 1M run would cost more than the run saves.
SAMPLE_PAIRS = 60_000


def candidates_of(records: Sequence[Prepared], model: Model) -> tuple[list[list[int]], set[int]]:
    """Each record's candidates (positions of older records), blocked as a full run blocks them, and
    the positions of the records whose phone was a switchboard (``dedupe.switchboard``). The batch
    run (``dedupe.batch``) finds the same faster and hands them to :func:`fit`."""
    index = MatchIndex(model)
    position = {r.id: i for i, r in enumerate(records)}
    out: list[list[int]] = []
    shared: set[int] = set()
    for at, record in enumerate(records):
        out.append([position[old.id] for old in index.candidates(record)])
        if index.phone_shared(record):
            shared.add(at)
        index.insert(record)
    return out, shared


def sample_patterns(
    records: Sequence[Prepared],
    candidates: Sequence[Sequence[int]],
    latin: bool | None = None,
    sample: int = SAMPLE_PAIRS,
    shared_phone: Collection[int] = (),
) -> Counter[Levels]:
    """Level patterns of the candidate pairs of every k-th record, about ``sample`` pairs in all;
    ``latin``: only pairs of two Latin-script names (True) or the others (False); ``shared_phone``:
    the positions of records whose phone was a switchboard."""
    total = sum(map(len, candidates))
    stride = max(1, -(-total // sample))
    patterns: Counter[Levels] = Counter()
    for position in range(0, len(records), stride):
        new = records[position]
        for old in candidates[position]:
            other = records[old]
            if latin is None or (new.latin and other.latin) == latin:
                levels = compare(other, new)
                patterns[mark_shared(levels) if position in shared_phone else levels] += 1
    return patterns


def _shares(counts: list[float]) -> list[float]:
    """The share of each non-null level (index 0, null, stays 0)."""
    total = sum(counts[1:]) or 1.0
    return [0.0] + [c / total for c in counts[1:]]


def estimate(
    patterns: Counter[Levels],
    prior: Model,
    prior_pairs: float = PRIOR_PAIRS,
    fields: Collection[str] = FIELDS,
) -> Model:
    """A model whose ``fields``' m and u and whose match share are EM's estimates on ``patterns``,
    ``prior`` as the start and as ``prior_pairs`` pseudo-pairs; the other fields keep the prior's
    level shares."""
    share0 = prior.matches / (prior.matches + prior.non_matches)
    pairs = sum(patterns.values())
    estimated = [(i, name) for i, name in enumerate(FIELDS) if name in fields]
    model = prior
    for _ in range(ITERATIONS):
        before = model.table
        m = {n: [prior_pairs * share0 * s for s in _shares(prior.m[n])] for _, n in estimated}
        u = {n: [prior_pairs * (1 - share0) * s for s in _shares(prior.u[n])] for _, n in estimated}
        matched = 0.0
        for levels, n in patterns.items():
            w = 1.0 / (1.0 + 2.0 ** -model.score(levels))
            matched += n * w
            for i, name in estimated:
                level = levels[i]
                if level:
                    m[name][level] += n * w
                    u[name][level] += n * (1 - w)
        matches = matched + prior_pairs * share0
        non_matches = pairs + prior_pairs - matches
        for name in FIELDS:  # the prior's counts, so the prior's weights
            if name not in m:
                m[name], u[name] = list(prior.m[name]), list(prior.u[name])
        model = replace(
            prior,
            m=m,
            u=u,
            matches=matches,
            non_matches=non_matches,
            note=f"EM ({', '.join(n for _, n in estimated)}) on {pairs} candidate pairs from: {prior.note}",
            latin_model=None,
        )
        moved = max(
            abs(a - b)
            for old, new in zip(before, model.table, strict=True)
            for a, b in zip(old, new, strict=True)
        )
        if moved <= CONVERGED:
            break
    return model


def fit(
    records: Sequence[Prepared],
    candidates: Sequence[Sequence[int]],
    prior: Model,
    scope: str = "name+latin",
    shared_phone: Collection[int] = (),
) -> Model:
    """``prior`` with EM's weights from the candidate pairs of ``records`` (``candidates``: each
    record's older candidates, by position; ``shared_phone``: the records whose phone was a
    switchboard; see the module docstring for the scopes); ``prior`` itself where there is nothing
    to estimate on."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    model = prior
    if scope != "latin":
        latin = None if scope == "all" else False
        patterns = sample_patterns(records, candidates, latin, shared_phone=shared_phone)
        if patterns:
            fields = FIELDS if scope == "all" else ("name",)
            model = replace(estimate(patterns, prior, fields=fields), latin_model=prior.latin_model)
    if scope in ("latin", "name+latin"):
        patterns = sample_patterns(records, candidates, True, shared_phone=shared_phone)
        if patterns:
            merge, review = prior.thresholds(latin=True)
            latin_prior = replace(prior, merge=merge, review=review, latin_model=None)
            model = replace(model, latin_model=estimate(patterns, latin_prior))
    return model


def refit(records: Sequence[Prepared], prior: Model, scope: str = "name+latin") -> Model:
    """:func:`fit` on ``records`` blocked here (the batch run blocks once and calls ``fit`` itself)."""
    candidates, shared = candidates_of(records, prior)
    return fit(records, candidates, prior, scope, shared)
