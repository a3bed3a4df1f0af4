"""Operational state around the business data: external ids, the outbox and the geocode cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Audited, Base, Timestamps, utcnow


class ExternalRef(Audited, Timestamps, Base):
    """Hub id <-> id of the same thing in an outside system (ERP customer number, ad platform clue id)."""

    __tablename__ = "external_refs"
    __table_args__ = (
        UniqueConstraint("system", "entity_type", "external_id"),
        UniqueConstraint("system", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int]
    system: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(100))
    external_number: Mapped[str | None] = mapped_column(String(100), default=None)


class OutboxMessage(Audited, Timestamps, Base):
    """A side effect owed to an outside system, committed with the business change that caused it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_claimable", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(60), doc="e.g. erp.receivable.push")
    business_key: Mapped[str] = mapped_column(String(120), unique=True)
    aggregate_type: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[int]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(
        String(20), default="pending", doc="pending | in_flight | done | dead | cancelled"
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class GeocodeCache(Base):
    """Amap answers keyed by normalised address (+ city hint). Not business data: not audited."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    address: Mapped[str] = mapped_column(String(300))
    city_hint: Mapped[str | None] = mapped_column(String(40), default=None)
    adcode: Mapped[str | None] = mapped_column(String(6), default=None)
    province: Mapped[str | None] = mapped_column(String(40), default=None)
    city: Mapped[str | None] = mapped_column(String(40), default=None)
    district: Mapped[str | None] = mapped_column(String(40), default=None)
    location: Mapped[str | None] = mapped_column(String(40), default=None)
    level: Mapped[str | None] = mapped_column(String(20), default=None)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class OAuthToken(Base):
    """Current access/refresh token pair per (connector, account). Secrets: never in the ledger.

    Some vendors (Ocean Engine) rotate the refresh token on every refresh, so the new pair must be
    stored atomically before it is used: a lost pair means re-authorising by hand.
    """

    __tablename__ = "oauth_tokens"
    __table_args__ = (UniqueConstraint("connector", "account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connector: Mapped[str] = mapped_column(String(60))
    account: Mapped[str] = mapped_column(String(100), default="")
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str | None] = mapped_column(Text, default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
