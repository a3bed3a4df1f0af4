"""The review queue as the Review page shows it: pairs side by side, the per-field score, clusters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import ClusterMember, Customer, CustomerCluster, MatchCandidate
from core.redact import mask_email, mask_phone
from dedupe.review import get_candidate, impact, list_candidates

__all__ = [
    "CARD_FIELDS",
    "CandidateDetail",
    "CandidateSummary",
    "ClusterView",
    "CustomerCard",
    "FieldScore",
    "candidate_detail",
    "candidates",
    "clusters",
]

FIELD_LABELS = {
    "name": "公司名称",
    "region": "地区",
    "industry": "行业",
    "phone": "电话",
    "email": "邮箱",
    "uscc": "统一社会信用代码",
    "contact": "联系人",
    "address": "地址",
}
CARD_FIELDS = (
    ("name", "公司名称"),
    ("uscc", "统一社会信用代码"),
    ("phone", "电话"),
    ("email", "邮箱"),
    ("province", "省份"),
    ("city", "城市"),
    ("district", "区县"),
    ("address", "地址"),
    ("industry", "行业"),
    ("owner", "负责人"),
    ("status", "状态"),
)


class CustomerCard(BaseModel):
    id: int
    name: str
    uscc: str | None
    phone: str | None  # masked
    email: str | None  # masked
    province: str | None
    city: str | None
    district: str | None
    address: str | None
    industry: str | None
    owner: str | None
    status: str
    merged_into_id: int | None


class FieldScore(BaseModel):
    field: str
    label: str
    level: str
    weight: float
    values: list[str | None] | None  # only for non-personal fields


class CandidateSummary(BaseModel):
    id: int
    left_id: int
    right_id: int
    left_name: str
    right_name: str
    score: float
    decision: str
    status: str
    guard: str | None
    decided_by: str | None
    decided_at: datetime | None
    impact: int | None = None  # pending: the leads and contracts a merge puts under one customer


class CandidateDetail(CandidateSummary):
    left: CustomerCard
    right: CustomerCard
    fields: list[FieldScore]
    differing: list[str]
    probability: float | None
    note: str | None


class ClusterMemberView(BaseModel):
    customer_id: int
    name: str
    status: str
    candidate_id: int | None


class ClusterView(BaseModel):
    id: int
    golden_id: int
    golden_name: str
    members: list[ClusterMemberView]
    updated_at: datetime


def _card(customer: Customer) -> CustomerCard:
    return CustomerCard(
        id=customer.id,
        name=customer.name,
        uscc=customer.uscc,
        phone=mask_phone(customer.phone) if customer.phone else None,
        email=mask_email(customer.email) if customer.email else None,
        province=customer.province,
        city=customer.city,
        district=customer.district,
        address=customer.address,
        industry=customer.industry,
        owner=customer.owner,
        status=customer.status,
        merged_into_id=customer.merged_into_id,
    )


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(ids))).all())


def _summary(c: MatchCandidate, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": c.id,
        "left_id": c.left_id,
        "right_id": c.right_id,
        "left_name": names.get(c.left_id, "?"),
        "right_name": names.get(c.right_id, "?"),
        "score": c.score,
        "decision": c.decision,
        "status": c.status,
        "guard": (c.explanation or {}).get("guard"),
        "decided_by": c.decided_by,
        "decided_at": c.decided_at,
    }


def candidates(session: Session, status: str = "pending", limit: int = 50) -> list[CandidateSummary]:
    found = list_candidates(session, status, limit)
    names = _names(session, {c.left_id for c in found} | {c.right_id for c in found})
    moved = impact(session, found) if status == "pending" else {}
    return [CandidateSummary(**_summary(c, names), impact=moved.get(c.id)) for c in found]


def _fields(explanation: dict[str, Any]) -> list[FieldScore]:
    out = []
    for name, entry in (explanation.get("fields") or {}).items():
        shown = entry.get("values")
        out.append(
            FieldScore(
                field=name,
                label=FIELD_LABELS.get(name, name),
                level=str(entry.get("level")),
                weight=float(entry.get("weight") or 0),
                values=[None if v is None else str(v) for v in shown] if shown else None,
            )
        )
    return out


def candidate_detail(session: Session, candidate_id: int) -> CandidateDetail:
    c = get_candidate(session, candidate_id)
    left, right = session.get_one(Customer, c.left_id), session.get_one(Customer, c.right_id)
    a, b = _card(left), _card(right)
    differing = [k for k, _ in CARD_FIELDS if getattr(a, k) != getattr(b, k)]
    explanation = c.explanation or {}
    return CandidateDetail(
        **_summary(c, {left.id: left.name, right.id: right.name}),
        left=a,
        right=b,
        fields=_fields(explanation),
        differing=differing,
        probability=explanation.get("probability"),
        note=c.note,
    )


def clusters(session: Session, limit: int = 50) -> list[ClusterView]:
    found = list(session.scalars(select(CustomerCluster).order_by(CustomerCluster.id.desc()).limit(limit)))
    if not found:
        return []
    members = list(
        session.scalars(
            select(ClusterMember)
            .where(ClusterMember.cluster_id.in_([c.id for c in found]))
            .order_by(ClusterMember.customer_id)
        )
    )
    ids = {m.customer_id for m in members} | {c.golden_id for c in found}
    rows = {c.id: c for c in session.scalars(select(Customer).where(Customer.id.in_(ids)))}
    out = []
    for cluster in found:
        mine = [
            ClusterMemberView(
                customer_id=m.customer_id,
                name=rows[m.customer_id].name,
                status=rows[m.customer_id].status,
                candidate_id=m.match_candidate_id,
            )
            for m in members
            if m.cluster_id == cluster.id
        ]
        golden = rows[cluster.golden_id]
        out.append(
            ClusterView(
                id=cluster.id,
                golden_id=golden.id,
                golden_name=golden.name,
                members=mine,
                updated_at=cluster.updated_at,
            )
        )
    return out
