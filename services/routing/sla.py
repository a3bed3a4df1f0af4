"""The first-contact clock. A lead is assigned with ``sla_due_at`` (the rule's window, default 2 h);
``mark_contacted`` stops the clock; ``escalate_overdue`` escalates every lead past its due time with no
contact: it notifies the team's supervisor (robot and SMS) and, when the team says so, reassigns the
lead to someone else in the team with a fresh clock. Each escalation is a ledger event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import record_event
from core.errors import NotFoundError
from core.models import Customer, Lead, utcnow
from services.notify import DispatchReport, NotificationService, Senders, enqueue
from services.routing.config import RoutingConfig, load_routing
from services.routing.ownership import cluster_ids, golden_ids, inactive_people
from services.routing.service import lead_context
from services.routing.strategies import OwnerPicker
from store.engine import session_scope

__all__ = ["Contacted", "EscalationReport", "escalate_overdue", "mark_contacted"]


def _customer_of(session: Session, lead: Lead) -> Customer | None:
    if lead.customer_id is None:
        return None
    return session.get(Customer, golden_ids(session, [lead.customer_id])[lead.customer_id])


def _holds_customer(session: Session, lead: Lead, customer: Customer | None) -> bool:
    """The late owner already works this customer through another lead: the lead stays with them
    (reassigning it would give the customer a second salesperson); the supervisor is told."""
    if customer is None or not lead.owner:
        return False
    members = cluster_ids(session, customer.id)
    others = (
        select(func.count())
        .select_from(Lead)
        .where(Lead.customer_id.in_(members), Lead.id != lead.id, Lead.owner == lead.owner)
    )
    return bool(session.scalar(others))


@dataclass(frozen=True)
class Contacted:
    lead_id: int
    first_contact_at: datetime
    on_time: bool
    already: bool  # the lead had been contacted before; the first time stands


@dataclass
class EscalationReport:
    escalated: list[int] = field(default_factory=list)
    reassigned: dict[int, str] = field(default_factory=dict)
    dispatch: DispatchReport = field(default_factory=DispatchReport)


def mark_contacted(
    engine: Engine, lead_id: int, at: datetime | None = None, by: str | None = None
) -> Contacted:
    """Record the first contact (idempotent: a later call keeps the first time)."""
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise NotFoundError(f"lead {lead_id} does not exist")
        if lead.first_contact_at is not None:
            due = lead.sla_due_at
            return Contacted(
                lead_id, lead.first_contact_at, due is None or lead.first_contact_at <= due, True
            )
        when = at or utcnow()
        lead.first_contact_at = when
        if lead.stage in ("new", "assigned"):
            lead.stage = "contacted"
        on_time = lead.sla_due_at is None or when <= lead.sla_due_at
        record_event(session, "contacted", "lead", lead_id, {"at": when.isoformat(), "by": by,
                                                             "on_time": on_time})  # fmt: skip
        return Contacted(lead_id, when, on_time, False)


def escalate_overdue(
    engine: Engine,
    *,
    config: RoutingConfig | None = None,
    senders: Senders | None = None,
    clock: Callable[[], datetime] = utcnow,
    console_url: str = "http://127.0.0.1:8000",
) -> EscalationReport:
    """Escalate every assigned lead whose first-contact clock ran out; returns what was done."""
    config = config or load_routing()
    now = clock()
    report = EscalationReport()
    with session_scope(engine) as session:
        overdue = session.scalars(
            select(Lead)
            .where(Lead.first_contact_at.is_(None), Lead.escalated_at.is_(None), Lead.sla_due_at <= now)
            .where(Lead.stage == "assigned")
            .order_by(Lead.sla_due_at, Lead.id)
        ).all()
        picker = OwnerPicker(session, inactive_people(session))
        for lead in overdue:
            team = config.territories.teams.get(lead.team or "")
            window = int((lead.sla_due_at - lead.assigned_at).total_seconds() // 60) if lead.assigned_at and \
                lead.sla_due_at else None  # fmt: skip
            lead.escalated_at = now
            late_owner = lead.owner
            note = ""
            customer = _customer_of(session, lead)
            if team is not None and team.reassign_on_escalation and _holds_customer(session, lead, customer):
                note = "客户已由该负责人跟进，保留负责人（一个客户一个负责人），请主管督促"
            elif team is not None and team.reassign_on_escalation:
                lead.owner = picker.reassign(team, lead.owner)
                lead.assigned_at, lead.sla_due_at = now, now + timedelta(minutes=window or 120)
                report.reassigned[lead.id] = lead.owner
                note = f"已改派给 {config.territories.people[lead.owner].name}"
                if customer is not None and customer.owner in (None, late_owner):
                    customer.owner = lead.owner  # the customer goes with its only lead: still one owner
            supervisor = config.territories.people.get(team.supervisor) if team else None
            details = {"late_owner": late_owner, "supervisor": team.supervisor if team else None,
                       "reassigned_to": report.reassigned.get(lead.id), "sla_minutes": window}  # fmt: skip
            record_event(session, "escalate", "lead", lead.id, details, reason="first contact overdue")
            report.escalated.append(lead.id)
            context = lead_context(lead, config, console_url, sla_minutes=window, reassigned=note,
                                   supervisor_name=supervisor.name if supervisor else None)  # fmt: skip
            for channel in ("dingtalk", "wecom"):
                robot = getattr(team, channel, None) if team else None
                if robot:
                    enqueue(session, "escalation", channel, robot, context, lead_id=lead.id)
            if supervisor is not None and supervisor.mobile:
                enqueue(session, "escalation", "sms", supervisor.key, context, lead_id=lead.id,
                        recipient=supervisor.mobile)  # fmt: skip
    if senders is not None:
        report.dispatch = NotificationService(engine, senders, clock).dispatch()
    return report
