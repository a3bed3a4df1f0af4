"""Leads, customers and contacts, and the dedupe bookkeeping around them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import PII, Audited, Base, Timestamps


class Customer(Audited, Timestamps, Base):
    """A company we sell to; the golden record of a dedupe cluster, or a merged member of one."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str | None] = mapped_column(String(200), default=None, index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), default=None, index=True)
    phone: Mapped[str | None] = mapped_column(String(40), default=None, info=PII)
    email: Mapped[str | None] = mapped_column(String(200), default=None, info=PII)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    adcode: Mapped[str | None] = mapped_column(String(6), default=None)
    province: Mapped[str | None] = mapped_column(String(40), default=None)
    city: Mapped[str | None] = mapped_column(String(40), default=None)
    district: Mapped[str | None] = mapped_column(String(40), default=None)
    industry: Mapped[str | None] = mapped_column(String(60), default=None)
    owner: Mapped[str | None] = mapped_column(String(60), default=None)
    status: Mapped[str] = mapped_column(String(20), default="active", doc="active | merged")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), default=None)


class Contact(Audited, Timestamps, Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(100), default=None, info=PII)
    title: Mapped[str | None] = mapped_column(String(60), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None, info=PII)
    email: Mapped[str | None] = mapped_column(String(200), default=None, info=PII)


class Lead(Audited, Timestamps, Base):
    """A canonical lead: one per (source, external id), whatever channel it came through."""

    __tablename__ = "leads"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(100), default=None, info=PII)
    contact_title: Mapped[str | None] = mapped_column(String(60), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None, info=PII, doc="E.164")
    phone_kind: Mapped[str | None] = mapped_column(String(10), default=None, doc="mobile | landline | other")
    email: Mapped[str | None] = mapped_column(String(200), default=None, info=PII)
    company: Mapped[str | None] = mapped_column(String(200), default=None)
    uscc: Mapped[str | None] = mapped_column(String(18), default=None)
    address: Mapped[str | None] = mapped_column(String(300), default=None)
    province_hint: Mapped[str | None] = mapped_column(String(40), default=None)
    city_hint: Mapped[str | None] = mapped_column(String(40), default=None)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None, doc="When the person submitted it.")
    adcode: Mapped[str | None] = mapped_column(String(6), default=None)
    geocode_status: Mapped[str] = mapped_column(
        String(20), default="pending", doc="pending | resolved | awaiting_geocode | failed"
    )
    budget_min: Mapped[Decimal | None] = mapped_column(default=None)
    budget_max: Mapped[Decimal | None] = mapped_column(default=None)
    products: Mapped[list[Any]] = mapped_column(default=list)
    channel: Mapped[str | None] = mapped_column(String(60), default=None)
    campaign: Mapped[str | None] = mapped_column(String(100), default=None)
    remark: Mapped[str | None] = mapped_column(Text, default=None)
    score: Mapped[int | None] = mapped_column(default=None)
    health: Mapped[str | None] = mapped_column(String(10), default=None, doc="green | yellow | red")
    stage: Mapped[str] = mapped_column(
        String(20), default="new", doc="new | assigned | contacted | qualified | proposal | won | lost"
    )
    team: Mapped[str | None] = mapped_column(String(60), default=None)
    owner: Mapped[str | None] = mapped_column(String(60), default=None)
    assigned_at: Mapped[datetime | None] = mapped_column(default=None)
    first_contact_at: Mapped[datetime | None] = mapped_column(default=None)
    sla_due_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), default=None, index=True)


class MatchCandidate(Audited, Timestamps, Base):
    """A scored pair of customers with the per-field explanation of its score."""

    __tablename__ = "match_candidates"
    __table_args__ = (UniqueConstraint("left_id", "right_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    left_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    score: Mapped[float]
    decision: Mapped[str] = mapped_column(String(20), doc="merge | review | distinct")
    status: Mapped[str] = mapped_column(String(20), default="pending", doc="pending | approved | rejected")
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_by: Mapped[str | None] = mapped_column(String(100), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)


class CustomerCluster(Audited, Timestamps, Base):
    """Connected component of matched customers; ``golden_id`` is the surviving record."""

    __tablename__ = "customer_clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    golden_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    survivorship: Mapped[dict[str, Any]] = mapped_column(default=dict, doc="field -> member that won it")


class ClusterMember(Audited, Timestamps, Base):
    """A customer merged into a cluster, with its state before the merge (for an exact unmerge)."""

    __tablename__ = "cluster_members"
    __table_args__ = (UniqueConstraint("customer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("customer_clusters.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    prior_state: Mapped[dict[str, Any]] = mapped_column(default=dict, info=PII)
    match_candidate_id: Mapped[int | None] = mapped_column(ForeignKey("match_candidates.id"), default=None)
