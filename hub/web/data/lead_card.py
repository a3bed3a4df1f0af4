"""One lead as its page shows it: who has it, where it stands, and the stages it may move on to.

Personal values are masked (the console never shows a whole phone number). The stages offered are the
ones ``services.routing.stages`` accepts from here: forward only, none once the lead is won or lost.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from core.errors import NotFoundError
from core.models import Lead, Source
from core.redact import mask_email, mask_name, mask_phone
from services.routing.stages import CLOSED, STAGES

__all__ = ["LeadCard", "lead_card", "next_stages"]


class LeadCard(BaseModel):
    id: int
    source: str
    external_id: str
    company: str | None
    contact_name: str | None  # masked
    contact_title: str | None
    phone: str | None  # masked
    email: str | None  # masked
    address: str | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    products: list[str]
    stage: str
    next_stages: list[str]
    team: str | None
    owner: str | None
    customer_id: int | None
    created_at: datetime
    assigned_at: datetime | None
    sla_due_at: datetime | None
    first_contact_at: datetime | None
    escalated_at: datetime | None


def next_stages(stage: str) -> list[str]:
    """The stages a lead in ``stage`` may be moved to by a person: later ones, none once closed."""
    if stage in CLOSED or stage not in STAGES:
        return []
    later = STAGES[STAGES.index(stage) + 1 :]
    return [s for s in later if s != "assigned"]  # assigning is routing's, not a stage a person sets


def lead_card(session: Session, lead_id: int) -> LeadCard:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFoundError(f"线索 {lead_id} 不存在")
    source = session.get(Source, lead.source_id)
    return LeadCard(
        id=lead.id,
        source=source.name if source is not None else str(lead.source_id),
        external_id=lead.external_id,
        company=lead.company,
        contact_name=mask_name(lead.contact_name) if lead.contact_name else None,
        contact_title=lead.contact_title,
        phone=mask_phone(lead.phone) if lead.phone else None,
        email=mask_email(lead.email) if lead.email else None,
        address=lead.address,
        budget_min=lead.budget_min,
        budget_max=lead.budget_max,
        products=[str(p) for p in lead.products or []],
        stage=lead.stage,
        next_stages=next_stages(lead.stage),
        team=lead.team,
        owner=lead.owner,
        customer_id=lead.customer_id,
        created_at=lead.created_at,
        assigned_at=lead.assigned_at,
        sla_due_at=lead.sla_due_at,
        first_contact_at=lead.first_contact_at,
        escalated_at=lead.escalated_at,
    )
