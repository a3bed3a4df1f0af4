"""The routing decision for one lead, as a pure function of its facts and the rule files.

Rules are read in order. Every matching rule's alerts fire; the first matching rule that assigns sets
the team (and owner or strategy) and the SLA window. A lead no rule assigns goes to its territory's
team; with no territory either it stays unassigned (and says so). The trace records, per rule, whether
it matched and why, which is what ``synchub route explain`` shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.routing.rules import Rule, RuleSet
from services.routing.scoring import LeadFacts, product_interest
from services.routing.territories import Territories, Territory

__all__ = ["Decision", "decide", "evaluate"]


@dataclass
class Decision:
    lead_id: int
    rule: str | None  # the rule that assigned, None when the territory fallback (or nothing) did
    team: str | None
    owner: str | None  # a fixed owner; None: the strategy picks one
    strategy: str | None
    sla_minutes: int
    alerts: list[dict[str, str]] = field(default_factory=list)  # {"rule", "channel", "who", "template"}
    trace: list[dict[str, Any]] = field(default_factory=list)
    territory: str | None = None  # the matching adcode prefix

    def as_event(self) -> dict[str, Any]:
        return {"rule": self.rule, "team": self.team, "owner": self.owner, "strategy": self.strategy,
                "sla_minutes": self.sla_minutes, "territory": self.territory, "alerts": self.alerts,
                "trace": self.trace}  # fmt: skip


def evaluate(
    rule: Rule, facts: LeadFacts, rules: RuleSet, territories: Territories
) -> tuple[bool, list[str]]:
    """(matched, one reason per condition, saying the value seen)."""
    reasons: list[str] = []
    ok = True
    fields = {"source": facts.source, "channel": facts.channel, "campaign": facts.campaign}
    for key, pattern in rule.patterns.items():
        hit = bool(pattern.search(fields[key]))
        ok &= hit
        reasons.append(f"{key} {fields[key]!r} {'matches' if hit else 'does not match'} /{pattern.pattern}/")
    when = rule.when
    if "territory" in when:
        place = territories.match(facts.adcode)
        hit = any(
            (place and place.team == t) or (facts.adcode or "").startswith(t) for t in when["territory"]
        )
        ok &= hit
        reasons.append(
            f"territory {place.team if place else None}/{facts.adcode} in {when['territory']}: {hit}"
        )
    if "products_min" in when:
        total = product_interest(facts.products, rules.product_weights)
        hit = total >= when["products_min"]
        ok &= hit
        named = ", ".join(facts.products) or "none"
        reasons.append(f"product interest {total:g} ({named}) >= {when['products_min']}: {hit}")
    if "budget_min" in when:
        hit = facts.budget is not None and float(facts.budget) >= when["budget_min"]
        ok &= hit
        reasons.append(f"budget {facts.budget} >= {when['budget_min']}: {hit}")
    if "keywords" in when:
        found = [k for k in when["keywords"] if k in facts.text()]
        ok &= bool(found)
        reasons.append(f"keywords {when['keywords']} found {found}")
    if "score_min" in when:
        hit = facts.score >= when["score_min"]
        ok &= hit
        reasons.append(f"score {facts.score} >= {when['score_min']}: {hit}")
    if "health" in when:
        hit = facts.health in when["health"]
        ok &= hit
        reasons.append(f"health {facts.health} in {when['health']}: {hit}")
    return ok, reasons


def _account_owner(
    decision: Decision, facts: LeadFacts, place: Territory | None, territories: Territories
) -> bool:
    """Assign the customer's owner; a lead from another team's territory tells that team's lead."""
    why = decision.trace[-1]["why"]
    if facts.customer_id is None:
        why.append("the lead is not linked to a customer yet: next rule")
        return False
    if facts.account_owner is None:
        why.append(f"customer #{facts.customer_id} has no active owner: next rule")
        return False
    decision.owner, decision.team = facts.account_owner, territories.team_of(facts.account_owner)
    why.append(f"customer #{facts.customer_id} is owned by {facts.account_owner} ({decision.team})")
    if place is not None and decision.team and place.team != decision.team:
        why.append(f"the lead is in {place.team}'s territory: its team lead is told")
        decision.alerts.append({"rule": "account_owner", "channel": "dingtalk", "who": "team_lead",
                                "template": "owned_elsewhere", "team": place.team})  # fmt: skip
    return True


def decide(facts: LeadFacts, rules: RuleSet, territories: Territories) -> Decision:
    place = territories.match(facts.adcode)
    decision = Decision(facts.id, None, None, None, None, rules.default_sla_minutes,
                        territory=place.prefix if place else None)  # fmt: skip
    assigned = False
    tightest: int | None = None  # an urgent lead stays urgent whichever rule assigns it
    for rule in rules.rules:
        matched, reasons = evaluate(rule, facts, rules, territories)
        decision.trace.append({"rule": rule.name, "line": rule.line, "matched": matched, "why": reasons})
        if not matched:
            continue
        if rule.sla_minutes:
            tightest = min(tightest or rule.sla_minutes, rule.sla_minutes)
        for item in rule.alert:
            channel, _, who = item.partition(":")
            decision.alerts.append({"rule": rule.name, "channel": channel, "who": who or "team_lead",
                                    "template": rule.template})  # fmt: skip
        if assigned or not rule.assigns:
            continue
        if rule.assign_territory and place is None:
            decision.trace[-1]["why"].append("no territory for this adcode: next rule")
            continue
        if rule.assign_account_owner:
            if not _account_owner(decision, facts, place, territories):
                continue
            assigned = True
            decision.rule = rule.name
            decision.sla_minutes = rule.sla_minutes or rules.default_sla_minutes
            continue
        assigned = True
        decision.rule = rule.name
        decision.sla_minutes = rule.sla_minutes or rules.default_sla_minutes
        if rule.assign_owner:
            decision.owner = rule.assign_owner
            decision.team = territories.team_of(rule.assign_owner)
        elif rule.assign_team:
            decision.team = rule.assign_team
        elif place is not None:
            decision.team, decision.owner = place.team, place.owner
        if decision.team and not decision.owner:
            decision.strategy = rule.strategy or territories.teams[decision.team].strategy
    if not assigned and place is not None:
        decision.team, decision.owner = place.team, place.owner
        if not decision.owner:
            decision.strategy = territories.teams[place.team].strategy
    if tightest is not None and tightest < decision.sla_minutes:
        decision.sla_minutes = tightest
        why = [f"the tightest SLA of the matching rules: {tightest} min"]
        decision.trace.append({"rule": "sla", "line": 0, "matched": True, "why": why})
    return decision
