"""The demo's stages, one function each, so ``hub/demo/run.py`` reads as the journey itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.amap import AmapClient, AmapSettings
from connectors.registry import get_source_connector, source_connector_names
from connectors.sandbox import RunningSandbox, sandbox_settings
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS
from core.models import (
    ClusterMember,
    Customer,
    Lead,
    MatchCandidate,
)
from hub.demo.senders import sandbox_senders
from services.intake.pull import pull_source
from services.intake.tokens import DatabaseTokenStore
from services.routing import escalate_overdue, mark_contacted, process_new_leads
from services.routing.stages import set_stage
from store.engine import session_scope

__all__ = ["dedupe_leads", "pull_all", "route_and_escalate", "sign_contract"]

ROBOTS = ["east", "north", "ortho"]
WAITED = timedelta(hours=3)  # longer than any rule's first-contact window (default 2 h)


def pull_all(engine: Engine, base_url: str) -> dict[str, int]:
    landed: dict[str, int] = {}
    with audit_context(actor="flow:demo-pull", correlation_id="demo-pull"):
        for name in source_connector_names():
            settings = sandbox_settings(name, base_url, retry_initial_wait=0.01, retry_max_wait=0.1)
            connector = get_source_connector(name, token_store=DatabaseTokenStore(engine), settings=settings)
            landed[name] = pull_source(engine, connector).landing.landed
    return landed


def dedupe_leads(engine: Engine) -> dict[str, int]:
    """Match every new lead against the customers already known (same company through several
    channels becomes one customer), then a full re-cluster: sure pairs merge, unsure ones await review."""
    from dedupe.service import match_pending_leads, run_full

    with audit_context(actor="flow:demo-dedupe"), session_scope(engine) as s:
        matched = match_pending_leads(s)
        run_full(s)
    with session_scope(engine) as s:
        customers = s.scalar(select(func.count()).select_from(Customer).where(Customer.status == "active"))
        merges = s.scalar(select(func.count()).select_from(ClusterMember))
        reviews = s.scalar(
            select(func.count())
            .select_from(MatchCandidate)
            .where(MatchCandidate.decision == "review", MatchCandidate.status == "pending")
        )
    linked = int(matched["linked_to_existing"])
    return {
        "customers": int(customers or 0),
        # automatic merge decisions: a lead merged into a known customer, or two customers merged
        "auto_merges": linked + int(merges or 0),
        "leads_linked_to_existing_customers": linked,
        "customer_merges": int(merges or 0),
        "review_pairs": int(reviews or 0),
    }


def route_and_escalate(engine: Engine, sandbox: RunningSandbox, leave_uncontacted: int = 5) -> dict[str, Any]:
    """Geocode (Amap only for ambiguous addresses), score, route and notify every new lead; then the
    salespeople call all but a few; those few are made to have waited three hours (:func:`_let_wait`),
    and the SLA watch, run now on the real clock, escalates them."""
    with session_scope(engine) as s:
        ids = list(s.scalars(select(Lead.id).where(Lead.owner.is_(None)).order_by(Lead.id)))
    senders = sandbox_senders(sandbox.base_url, ROBOTS)
    with (
        audit_context(actor="flow:demo-process-leads"),
        AmapClient(AmapSettings(base_url=sandbox.base_url, **NOTIFY_CREDENTIALS["amap"])) as amap,
    ):
        report = process_new_leads(engine, ids, geocoder=amap, senders=senders)
    with session_scope(engine) as s:
        assigned = list(s.scalars(select(Lead.id).where(Lead.owner.is_not(None)).order_by(Lead.id)))
    with audit_context(actor="api:crm-contacted"):
        for lead_id in assigned[leave_uncontacted:]:
            mark_contacted(engine, lead_id, by="sales")
    with audit_context(actor="user:sales-demo"):  # what salespeople record after their calls
        for n, lead_id in enumerate(assigned[leave_uncontacted:]):
            if n % 9 == 0:
                set_stage(engine, lead_id, "proposal" if n % 27 == 0 else "qualified", by="sales",
                          note="demo: need confirmed on the call")  # fmt: skip
    _let_wait(engine, assigned[:leave_uncontacted], WAITED)
    with audit_context(actor="flow:demo-sla-watch"):
        escalation = escalate_overdue(engine, senders=senders)  # the real clock: ledger times are true
    return {
        "assigned": report.routed,
        "unassigned": report.unassigned,
        "amap_calls": report.geocode.calls,
        "geocoded_offline": report.geocode.offline,
        "notifications": report.dispatch.sent + escalation.dispatch.sent,
        "notification_digests": report.dispatch.digests + escalation.dispatch.digests,
        "escalations": len(escalation.escalated),
    }


def _let_wait(engine: Engine, lead_ids: list[int], hours: timedelta) -> int:
    """A demo cannot wait hours for a deadline to pass, so it says these leads were assigned ``hours``
    ago: ``assigned_at`` and ``sla_due_at`` move back by that much, in the ledger as the demo's own
    change with its reason. Escalation then runs on the real clock, so ``escalated_at`` is the time it
    was recorded (an earlier demo escalated on a clock three hours ahead and wrote future times)."""
    moved = 0
    reason = f"demo: stands in for {hours} of waiting without a first contact"
    with audit_context(actor="flow:demo-clock", reason=reason), session_scope(engine) as s:
        for lead in s.scalars(select(Lead).where(Lead.id.in_(lead_ids), Lead.first_contact_at.is_(None))):
            if lead.assigned_at is None or lead.sla_due_at is None:
                continue
            lead.assigned_at -= hours
            lead.sla_due_at -= hours
            moved += 1
    return moved


def sign_contract(engine: Engine) -> None:
    """A contract signed through the intake the API uses: its customer is matched against the lead
    customers (one company, one customer), then the installments and their outbox rows."""
    from services.finance.intake import sign_contract as sign

    terms = {"installments": [50, 50], "first_due_days": 19, "interval_days": 90}
    data = {"number": "HT-2026-001", "erp": "kingdee", "customer": {"name": "杭州智联医疗器械有限公司"},
            "amount": "600000.00", "tax_rate": "13%", "signed_at": datetime.now(UTC).isoformat(),
            "payment_terms": terms}  # fmt: skip
    sign(engine, data, actor="api:crm-webhook", source="api:crm-webhook")
