"""Territory routing, lead score and health, SLA escalation (issue 5).

``process_new_leads(engine, lead_ids)`` is what the hub calls after landing; ``mark_contacted`` and
``escalate_overdue`` run the first-contact clock; ``api.build_router`` exposes "contacted"."""

from hub.routing.config import RoutingConfig, RoutingSettings, load_routing
from hub.routing.engine import Decision, decide
from hub.routing.explain import explain_lead, format_explanation
from hub.routing.rules import RuleSet, load_rules
from hub.routing.scoring import LeadFacts, score_lead
from hub.routing.service import ProcessReport, process_new_leads
from hub.routing.sla import Contacted, EscalationReport, escalate_overdue, mark_contacted
from hub.routing.territories import Territories, load_territories

__all__ = [
    "Contacted",
    "Decision",
    "EscalationReport",
    "LeadFacts",
    "ProcessReport",
    "RoutingConfig",
    "RoutingSettings",
    "RuleSet",
    "Territories",
    "decide",
    "escalate_overdue",
    "explain_lead",
    "format_explanation",
    "load_routing",
    "load_rules",
    "load_territories",
    "mark_contacted",
    "process_new_leads",
    "score_lead",
]
