"""Lead score (0-100) and health colour from configurable weighted signals (``[scoring]`` in the rules
file). Each signal is a value in [0, 1] times its weight; health is red at or above ``red`` (hot: call
first), yellow at or above ``yellow``, else green. Red leads are routed and notified first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.routing.rules import RuleSet, Scoring

__all__ = ["HEALTH_ORDER", "LeadFacts", "health_of", "product_interest", "score_lead", "signals"]

HEALTH_ORDER = {"red": 0, "yellow": 1, "green": 2}


@dataclass(frozen=True)
class LeadFacts:
    """What routing reads of a lead (plain values: decisions are testable without a database)."""

    id: int
    source: str = ""
    channel: str = ""
    campaign: str = ""
    remark: str = ""
    company: str = ""
    products: tuple[str, ...] = ()
    budget: Decimal | None = None  # top of the stated range, yuan
    adcode: str | None = None
    mobile: bool = False
    email: bool = False
    score: int = 0
    health: str = "green"
    customer_id: int | None = None  # the golden customer the lead is linked to
    account_owner: str | None = None  # that customer's owner, when the owner is active

    def text(self) -> str:
        return " ".join((self.remark, self.campaign, self.company))


def product_interest(products: tuple[str, ...], weights: dict[str, float]) -> float:
    return sum(weights.get(p, 0.0) for p in set(products))


def signals(facts: LeadFacts, rules: RuleSet) -> dict[str, float]:
    scoring = rules.scoring
    budget = float(facts.budget or 0)
    interest = product_interest(facts.products, rules.product_weights)
    return {
        "mobile": 1.0 if facts.mobile else 0.0,
        "company": 1.0 if facts.company else 0.0,
        "budget": min(1.0, budget / scoring.budget_full_at) if scoring.budget_full_at else 0.0,
        "products": min(1.0, interest / scoring.products_full_at) if scoring.products_full_at else 0.0,
        "urgent": 1.0 if any(k in facts.text() for k in scoring.urgent_keywords) else 0.0,
        "email": 1.0 if facts.email else 0.0,
        "located": 1.0 if facts.adcode else 0.0,
    }


def health_of(score: float, scoring: Scoring) -> str:
    if score >= scoring.red:
        return "red"
    return "yellow" if score >= scoring.yellow else "green"


def score_lead(facts: LeadFacts, rules: RuleSet) -> tuple[int, str, dict[str, float]]:
    """(score 0-100, health colour, the weighted contribution of each signal)."""
    parts = {k: v * rules.scoring.weights.get(k, 0.0) for k, v in signals(facts, rules).items()}
    score = max(0, min(100, round(sum(parts.values()))))
    return score, health_of(score, rules.scoring), parts
