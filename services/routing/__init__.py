"""Territory routing, lead score and health, SLA escalation (issue 5).

``process_new_leads(engine, lead_ids)`` is what the hub calls after landing; ``mark_contacted`` and
``escalate_overdue`` run the first-contact clock; ``api.build_router`` exposes "contacted"."""

from services.routing.config import RoutingConfig, RoutingSettings, load_routing
from services.routing.engine import Decision, decide
from services.routing.explain import explain_lead, format_explanation
from services.routing.rules import RuleSet, load_rules
from services.routing.scoring import LeadFacts, score_lead
from services.routing.service import ProcessReport, process_new_leads
from services.routing.sla import Contacted, EscalationReport, escalate_overdue, mark_contacted
from services.routing.territories import Territories, load_territories

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
