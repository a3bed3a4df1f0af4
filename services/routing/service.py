"""``process_new_leads``: what the hub runs right after landing a batch of leads.

In one transaction: link each lead to its customer (so routing knows whose customer it is), geocode
(offline, cache, Amap for the ambiguous rest), score and colour, route
red first (team, owner, SLA clock), write each decision to the ledger (``route`` event with the rule
files' digests and the per-rule trace) and owe the alerts (``notification_log``). After the commit the
notifications are dispatched within their limits. A lead already assigned is left alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import record_event
from core.models import Customer, Lead, Source, utcnow
from core.redact import mask_name, mask_phone
from services.intake.geocode import Geocoder, GeocodeReport, geocode_leads
from services.notify import DispatchReport, NotificationService, Senders, enqueue
from services.routing.config import RoutingConfig, load_routing, record_versions
from services.routing.engine import Decision, decide
from services.routing.linking import forget_index, link_leads
from services.routing.ownership import claim_customers, golden_ids, inactive_people
from services.routing.people import settle_merge
from services.routing.scoring import HEALTH_ORDER, LeadFacts, score_lead
from services.routing.strategies import OwnerPicker
from store.engine import session_scope

__all__ = ["ProcessReport", "facts_of", "lead_context", "process_new_leads"]


@dataclass
class ProcessReport:
    leads: int = 0
    routed: int = 0
    unassigned: int = 0
    alerts: int = 0
    claimed: int = 0  # customers that took the owner of their first assigned lead
    linking: dict[str, int] = field(default_factory=dict)  # leads linked to customers before routing
    geocode: GeocodeReport = field(default_factory=GeocodeReport)
    dispatch: DispatchReport = field(default_factory=DispatchReport)
    decisions: dict[int, Decision] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def facts_of(
    lead: Lead, source: Source | None, customer_id: int | None = None, account_owner: str | None = None
) -> LeadFacts:
    budget = max((b for b in (lead.budget_min, lead.budget_max) if b is not None), default=None)
    return LeadFacts(
        id=lead.id,
        source=source.name if source is not None else "",
        channel=lead.channel or "",
        campaign=lead.campaign or "",
        remark=lead.remark or "",
        company=lead.company or "",
        products=tuple(str(p) for p in lead.products or ()),
        budget=Decimal(budget) if budget is not None else None,
        adcode=lead.adcode,
        mobile=lead.phone_kind == "mobile",
        email=bool(lead.email),
        score=lead.score or 0,
        health=lead.health or "green",
        customer_id=customer_id,
        account_owner=account_owner,
    )


def _yuan(amount: Decimal | None) -> str | None:
    if amount is None:
        return None
    return f"{float(amount) / 10000:g}万元" if amount >= 10000 else f"{float(amount):g}元"


def lead_context(lead: Lead, config: RoutingConfig, console_url: str, **extra: object) -> dict[str, object]:
    """What a template may show of a lead: personal data masked."""
    people = config.territories.people
    budget = max((b for b in (lead.budget_min, lead.budget_max) if b is not None), default=None)
    owner = people.get(lead.owner or "")
    return {
        "lead_id": lead.id,
        "company": lead.company,
        "contact": mask_name(lead.contact_name) if lead.contact_name else None,
        "phone": mask_phone(lead.phone) if lead.phone else None,
        "budget": _yuan(budget),
        "products": "、".join(str(p) for p in lead.products or ()) or None,
        "team": lead.team,
        "owner_name": owner.name if owner else lead.owner,
        "score": lead.score,
        "health": lead.health,
        "due": lead.sla_due_at.isoformat(timespec="minutes") if lead.sla_due_at else None,
        "link": f"{console_url}/leads/{lead.id}",
        **extra,
    }


def _owe_alerts(session: Session, lead: Lead, decision: Decision, config: RoutingConfig, url: str) -> int:
    owed = 0
    for alert in decision.alerts:
        team = config.territories.teams.get(alert.get("team") or lead.team or "")
        context = lead_context(lead, config, url, rule=alert["rule"])
        if alert["channel"] == "sms":
            who = {"team_lead": team.lead if team else None, "supervisor": team.supervisor if team else None,
                   "owner": lead.owner}.get(alert["who"])  # fmt: skip
            person = config.territories.people.get(who or "")
            if person is None or not person.mobile:
                continue
            row = enqueue(session, alert["template"], "sms", person.key, context, lead_id=lead.id,
                          recipient=person.mobile)  # fmt: skip
        else:
            robot = getattr(team, alert["channel"], None) if team else None
            if not robot:
                continue
            row = enqueue(session, alert["template"], alert["channel"], robot, context, lead_id=lead.id)
        owed += row is not None
    return owed


def _route(session: Session, leads: list[Lead], config: RoutingConfig, now: datetime, url: str,
           report: ProcessReport) -> None:  # fmt: skip
    sources = {s.id: s for s in session.scalars(select(Source)).all()}
    inactive = inactive_people(session)
    goldens = golden_ids(session, [lead.customer_id for lead in leads])
    owned = select(Customer.id, Customer.owner).where(Customer.id.in_(set(goldens.values())))
    owners: dict[int, str | None] = {cid: owner for cid, owner in session.execute(owned)}
    scored: list[tuple[Lead, LeadFacts]] = []
    for lead in leads:
        golden = goldens.get(lead.customer_id) if lead.customer_id is not None else None
        facts = facts_of(lead, sources.get(lead.source_id))
        lead.score, lead.health, _ = score_lead(facts, config.rules)
        scored.append((lead, facts_of(lead, sources.get(lead.source_id), golden)))
    scored.sort(key=lambda pair: (HEALTH_ORDER.get(pair[0].health or "green", 3), -(pair[0].score or 0)))
    picker = OwnerPicker(session, inactive)
    assigned: list[Lead] = []
    for lead, facts in scored:
        # The owner as of this lead: an earlier lead of the same new customer in this batch claimed it.
        current = owners.get(facts.customer_id) if facts.customer_id is not None else None
        facts = replace(facts, account_owner=current if current and current not in inactive else None)
        decision = decide(facts, config.rules, config.territories)
        team = config.territories.teams.get(decision.team or "")
        fixed = decision.owner if decision.owner not in inactive else None  # nobody who left gets a lead
        owner = fixed or (picker.pick(team, decision.strategy or team.strategy) if team else None)
        lead.team, lead.owner = decision.team, owner
        if owner is not None:
            lead.stage, lead.assigned_at = "assigned", now
            lead.sla_due_at = now + timedelta(minutes=decision.sla_minutes)
            report.routed += 1
            assigned.append(lead)
            if facts.customer_id is not None and facts.account_owner is None:
                owners[facts.customer_id] = owner
        else:
            report.unassigned += 1
        details = {**decision.as_event(), "owner": owner, "score": lead.score, "health": lead.health,
                   "files": config.digests}  # fmt: skip
        record_event(
            session, "route", "lead", lead.id, details, reason=f"rule {decision.rule or 'territory'}"
        )
        report.decisions[lead.id] = decision
        report.alerts += _owe_alerts(session, lead, decision, config, url)
    report.claimed = claim_customers(session, assigned, inactive)


def process_new_leads(
    engine: Engine,
    lead_ids: Sequence[int],
    *,
    config: RoutingConfig | None = None,
    geocoder: Geocoder | None = None,
    senders: Senders | None = None,
    console_url: str = "http://127.0.0.1:8000",
    clock: Callable[[], datetime] = utcnow,
) -> ProcessReport:
    """Geocode, score, route and notify the given leads (those not yet assigned)."""
    config = config or load_routing()
    report = ProcessReport()
    started = time.perf_counter()
    with session_scope(engine) as session:
        record_versions(session, config)
        leads = list(
            session.scalars(
                select(Lead).where(Lead.id.in_(list(lead_ids)), Lead.assigned_at.is_(None)).order_by(Lead.id)
            ).all()
        )
        report.leads = len(leads)
        try:
            report.linking, merged = link_leads(session, leads)
        except Exception:
            forget_index(session)
            raise
        for golden_id in sorted(merged):  # one customer, one owner: the merge decides and tells both
            settle_merge(session, config, golden_id, clock(), console_url)
        report.seconds["match"] = time.perf_counter() - started
        report.geocode = geocode_leads(session, leads, geocoder)
        report.seconds["geocode"] = time.perf_counter() - started
        _route(session, leads, config, clock(), console_url, report)
    report.seconds["route"] = time.perf_counter() - started
    if senders is not None:
        report.dispatch = NotificationService(engine, senders, clock).dispatch()
    report.seconds["notify"] = time.perf_counter() - started
    return report
