"""How far each lead got, from the events that happened to it rather than from its current stage alone.

- first contact: ``first_contact_at`` is set (or the lead's stage was ever ``contacted``);
- need confirmed / proposal: the lead's stage is, or was ever recorded in the ledger as, ``qualified`` /
  ``proposal`` (a lead that went on to ``lost`` keeps the stages it reached);
- contract signed: a contract that is not cancelled names the lead, or names the lead's customer (its
  golden customer, following ``merged_into_id``) without naming another lead; a ``won`` stage counts too;
- payment received: a receipt (``Payment`` of kind ``receipt``) or a paid amount on an installment of
  such a contract.

A lead that reached a stage also reached every stage before it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from audit.models import AuditLog
from core.models import Contract, Lead, Payment, ReceivableInstallment
from services.routing.ownership import golden_ids

__all__ = ["STAGE_INDEX", "LeadProgress", "lead_progress", "recorded_stages"]

# index in the funnel: 0 lead, 1 first contact, 2 need confirmed, 3 proposal, 4 contract, 5 payment
STAGE_INDEX = {"contacted": 1, "qualified": 2, "proposal": 3, "won": 4}
_LEDGER_STAGES = ("contacted", "qualified", "proposal", "won")


@dataclass(frozen=True)
class LeadProgress:
    lead_id: int
    source_id: int
    team: str | None
    province: str | None
    furthest: int  # index of the furthest funnel stage reached


def recorded_stages(session: Session, lead_ids: set[int] | None = None) -> dict[int, set[str]]:
    """Lead id -> the funnel stages the ledger shows it was ever set to (insert or update)."""
    patterns = [AuditLog.changes.like(f'%"stage":"{stage}"%') for stage in _LEDGER_STAGES]
    rows = session.execute(
        select(AuditLog.entity_id, AuditLog.changes).where(AuditLog.entity_type == "lead", or_(*patterns))
    )
    seen: dict[int, set[str]] = defaultdict(set)
    for entity_id, text in rows:
        if not str(entity_id).isdigit() or (lead_ids is not None and int(entity_id) not in lead_ids):
            continue
        after = json.loads(text).get("after") or {}
        stage = after.get("stage") if isinstance(after, dict) else None
        if stage in _LEDGER_STAGES:
            seen[int(entity_id)].add(str(stage))
    return seen


def _contracts(session: Session) -> tuple[dict[int, bool], dict[int, bool]]:
    """(lead id -> paid, golden customer id -> paid) for every contract that is not cancelled; a
    contract naming a lead counts for that lead only, one naming none for all its customer's leads."""
    receipts = select(Payment.contract_id).where(Payment.kind == "receipt", Payment.amount > 0)
    paid_installments = select(ReceivableInstallment.contract_id).where(ReceivableInstallment.paid_amount > 0)
    paid = set(session.scalars(receipts)) | set(session.scalars(paid_installments))
    rows = session.execute(
        select(Contract.id, Contract.lead_id, Contract.customer_id).where(Contract.status != "cancelled")
    ).all()
    golden = golden_ids(session, [customer for _, lead, customer in rows if lead is None])
    by_lead: dict[int, bool] = {}
    by_customer: dict[int, bool] = {}
    for contract_id, lead_id, customer_id in rows:
        is_paid = contract_id in paid
        if lead_id is not None:
            by_lead[lead_id] = by_lead.get(lead_id, False) or is_paid
        else:
            root = golden.get(customer_id, customer_id)
            by_customer[root] = by_customer.get(root, False) or is_paid
    return by_lead, by_customer


def lead_progress(session: Session, since: datetime | None = None) -> list[LeadProgress]:
    """Every lead created since ``since`` (all when None) with the furthest funnel stage it reached."""
    query = select(
        Lead.id, Lead.source_id, Lead.team, func.substr(Lead.adcode, 1, 2), Lead.stage,
        Lead.first_contact_at.is_not(None), Lead.customer_id,
    )  # fmt: skip
    if since is not None:
        query = query.where(Lead.created_at >= since)
    leads = session.execute(query).all()
    ids = {int(row[0]) for row in leads}
    recorded = recorded_stages(session, ids)
    by_lead, by_customer = _contracts(session)
    golden = golden_ids(session, [row[6] for row in leads]) if by_customer else {}
    out: list[LeadProgress] = []
    for lead_id, source_id, team, province, stage, contacted, customer_id in leads:
        stages = recorded.get(lead_id, set()) | {str(stage)}
        furthest = max([STAGE_INDEX.get(s, 0) for s in stages] + [1 if contacted else 0])
        root = golden.get(customer_id, customer_id) if customer_id is not None else None
        paid: bool | None = by_lead.get(lead_id)
        if root is not None and root in by_customer:
            paid = bool(paid) or by_customer[root]
        if paid is not None:
            furthest = 5 if paid else max(furthest, 4)
        out.append(LeadProgress(int(lead_id), int(source_id), team, province, furthest))
    return out
