"""Shape counted weights so they travel to data we did not count them on.

Weights counted on one generator carry its quirks: there, the buyers of one company almost never
gave different addresses, so an address that differs weighed -16.8 bits and two records with the
same registered name in the same city (``吉医器械(长春)有限公司`` twice, two buyers) scored -8 and were
kept apart; an exact e-mail weighed less than a shared mail domain. Three rules, applied to every
model (counted, refined by admins or loaded); the first two were fixed before looking at any
evaluation set:

- **Order**: along each chain of levels from closest to farthest agreement, a closer level never
  weighs less than a farther one (pool-adjacent-violators, unweighted, as isotonic regression does).
- **Soft fields**: a disagreement on a field that differs between buyers of one company (phone,
  e-mail, contact, a fuzzy or different address) weighs no less than ``-SOFT_FLOOR`` bits: by itself
  it says "another person", not "another company". Identity fields (USCC, region, industry, name)
  keep their counted disagreement weights.
- **Said once**: the same name in two cities (``exact_elsewhere``) weighs 0. The region field counts
  the other city already, and blocking on the name finds every namesake, so counting the name's
  disagreement too said "another city" twice: the same name and the same phone in another city (a
  move, a second site) fell below even the review band of a guarded pair.

And one rule on a pair's score (:func:`person_overlap`), for the one dependence the model's "fields
are independent" assumption gets badly wrong: another buyer of the same company has another phone,
another e-mail *and* another name, all at once. Counted as three independent pieces of evidence, one
fact ("another person") cost up to three times its weight, and two buyers of one company with the same
name, city, industry and address scored below the review threshold (the demo's 智联医械(杭州)有限公司 and
杭州智联医疗). So when several of phone, e-mail and contact disagree, only the strongest disagreement
counts. Agreements are untouched: a shared phone and a shared name are separate findings.
"""

from __future__ import annotations

__all__ = ["CHAINS", "NEUTRAL", "PERSON_FIELDS", "SOFT_FLOOR", "person_overlap", "shape"]

SOFT_FLOOR = 4.0
CHAINS: dict[str, tuple[str, ...]] = {
    "name": ("exact_city", "exact", "fuzzy_high", "fuzzy", "else"),
    "email": ("exact", "domain", "else"),
    "address": ("fuzzy_high", "fuzzy", "else"),
    "contact": ("exact", "surname", "else"),
    "phone": ("exact", "shared", "else"),
    "uscc": ("exact", "else"),
}
SOFT: dict[str, tuple[str, ...]] = {
    "phone": ("else",),
    "email": ("else",),
    "contact": ("else",),
    "address": ("fuzzy", "else"),
}

# levels whose evidence another field already counts
NEUTRAL: dict[str, tuple[str, ...]] = {"name": ("exact_elsewhere",)}

# the fields that say who the buyer is, and the level of each that says "another one"
PERSON_FIELDS: dict[str, str] = {"phone": "else", "email": "else", "contact": "else"}


def person_overlap(disagreements: list[tuple[str, float]]) -> dict[str, float]:
    """Field -> the weight to take back, given the ``(field, weight)`` of each person field that
    disagrees: every disagreement but the strongest (most negative) is not counted."""
    if len(disagreements) < 2:
        return {}
    strongest = min(disagreements, key=lambda item: item[1])
    return {name: weight for name, weight in disagreements if name != strongest[0]}


def _non_increasing(values: list[float]) -> list[float]:
    """The closest non-increasing sequence (pool adjacent violators, equal weights)."""
    blocks: list[tuple[float, int]] = []
    for value in values:
        blocks.append((value, 1))
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            (a, n), (b, k) = blocks[-2], blocks[-1]
            blocks[-2:] = [((a * n + b * k) / (n + k), n + k)]
    return [value for value, count in blocks for _ in range(count)]


def shape(field: str, levels: tuple[str, ...], weights: list[float]) -> list[float]:
    """``weights`` (one per level of ``field``, in ``levels`` order) ordered and floored."""
    out = list(weights)
    chain = CHAINS.get(field)
    if chain is not None:
        positions = [levels.index(level) for level in chain]
        for position, value in zip(positions, _non_increasing([out[p] for p in positions]), strict=True):
            out[position] = round(value, 4)
    for level in SOFT.get(field, ()):
        position = levels.index(level)
        out[position] = max(out[position], -SOFT_FLOOR)
    for level in NEUTRAL.get(field, ()):
        out[levels.index(level)] = 0.0
    return out
