"""Weights estimated on the data being matched, without labels: expectation-maximisation over the
blocked pairs, as Splink does, with the counted weights as the prior (issue 21).

The counted weights (``dedupe/data/weights.json``) describe our generator's Chinese company records.
On other data, Latin-script person records above all (Febrl), they say little: the same name without
a city weighs -1.2 bits there because Chinese namesakes abound. EM asks the data instead. Every
candidate pair the blocking yields is compared once; the level patterns are counted; then, from the
prior's m, u and match share, repeat: each pattern's match probability under the current parameters
(E), and m, u and the match share re-estimated from those probabilities (M), the prior's counts added
as ``prior_pairs`` pseudo-pairs so a level the data rarely shows keeps the prior's say. Null levels
(a field missing on either side) carry no evidence and are not estimated. Thresholds stay the
prior's: a score is still log-odds in bits.

Two scopes. ``latin``: EM on the pairs of two Latin-script names only, which then get their own
weights (``Model.latin_model``); Chinese pairs keep the counted ones. ``all``: every pair. Neither is
the default yet: Fellegi-Sunter's independence assumption is EM's too, and where fields depend on each
other (another buyer's phone and name) EM over-counts them (china_b2b 20k: F1 0.898 counted, 0.881
with ``all``); and lead-by-lead matching would need the refitted model kept in the store to agree with
the full run. Asked for with ``synchub dedupe eval --em latin|all`` and ``bench/dedupe.py --em``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from dedupe.compare import FIELDS, Levels, compare
from dedupe.index import MatchIndex
from dedupe.records import Prepared
from dedupe.weights import Model

__all__ = ["PRIOR_PAIRS", "SCOPES", "estimate", "level_patterns", "refit"]

PRIOR_PAIRS = 1_000.0  # the prior weighs as much as this many pairs
ITERATIONS = 30
SCOPES = ("latin", "all")


def level_patterns(records: Sequence[Prepared], model: Model) -> Counter[Levels]:
    """How many candidate pairs of ``records`` (blocked as a full run blocks them) show each pattern."""
    index = MatchIndex(model)
    patterns: Counter[Levels] = Counter()
    for record in records:
        for old in index.candidates(record):
            patterns[compare(old, record)] += 1
        index.insert(record)
    return patterns


def _shares(counts: dict[str, list[float]]) -> dict[str, list[float]]:
    """Per field, the share of each non-null level (index 0, null, stays 0)."""
    out: dict[str, list[float]] = {}
    for name in FIELDS:
        total = sum(counts[name][1:]) or 1.0
        out[name] = [0.0] + [c / total for c in counts[name][1:]]
    return out


def estimate(patterns: Counter[Levels], prior: Model, prior_pairs: float = PRIOR_PAIRS) -> Model:
    """A model whose m, u and match share are EM's estimates on ``patterns``, ``prior`` as the start
    and as ``prior_pairs`` pseudo-pairs."""
    m0, u0 = _shares(prior.m), _shares(prior.u)
    share0 = prior.matches / (prior.matches + prior.non_matches)
    m, u, share = m0, u0, share0
    pairs = sum(patterns.values())
    m_counts: dict[str, list[float]] = {}
    u_counts: dict[str, list[float]] = {}
    matched = 0.0
    for _ in range(ITERATIONS):
        m_counts = {f: [0.0] + [prior_pairs * share0 * s for s in m0[f][1:]] for f in FIELDS}
        u_counts = {f: [0.0] + [prior_pairs * (1 - share0) * s for s in u0[f][1:]] for f in FIELDS}
        matched = 0.0
        for levels, n in patterns.items():
            pm, pu = share, 1.0 - share
            for i, name in enumerate(FIELDS):
                level = levels[i]
                if level:
                    pm *= m[name][level] or 1e-12
                    pu *= u[name][level] or 1e-12
            w = pm / (pm + pu)
            matched += n * w
            for i, name in enumerate(FIELDS):
                level = levels[i]
                if level:
                    m_counts[name][level] += n * w
                    u_counts[name][level] += n * (1 - w)
        m, u = _shares(m_counts), _shares(u_counts)
        share = (matched + prior_pairs * share0) / (pairs + prior_pairs)
    matches = matched + prior_pairs * share0
    return Model(
        m_counts,
        u_counts,
        matches,
        pairs + prior_pairs - matches,
        prior.merge,
        prior.review,
        f"EM on {pairs} candidate pairs from: {prior.note}",
        prior.latin_merge,
        prior.latin_review,
    )


def refit(records: Sequence[Prepared], prior: Model, scope: str = "latin") -> Model:
    """``prior`` with EM's weights from ``records``' own candidate pairs: for pairs of two Latin-script
    names (``latin``; blocked among the Latin records alone, which are the only ones they pair with),
    or for every pair (``all``). ``prior`` itself when there is nothing to estimate on."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    if scope == "all":
        return estimate(level_patterns(records, prior), prior)
    patterns = level_patterns([r for r in records if r.latin], prior)
    if not patterns:
        return prior
    merge, review = prior.thresholds(latin=True)
    latin_prior = replace(prior, merge=merge, review=review, latin_model=None)
    return replace(prior, latin_model=estimate(patterns, latin_prior))
