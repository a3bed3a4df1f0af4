"""The ledger's tables. ``audit_log`` and ``audit_checkpoints`` are append-only in the database itself
(see :mod:`audit.ddl`); ``audit_head`` is the single row every writer locks to extend the chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
        Index("ix_audit_log_recorded_at", "recorded_at"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20), doc="insert | update | delete | erase | merge ...")
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60))
    changes: Mapped[str] = mapped_column(Text, doc="canonical JSON text, hashed byte for byte")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    correlation_id: Mapped[str | None] = mapped_column(String(200), default=None)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[str] = mapped_column(String(40), doc="ISO 8601 UTC text, signed as is")
    public_key: Mapped[str] = mapped_column(String(64), doc="hex of the raw Ed25519 public key")
    signature: Mapped[str] = mapped_column(String(128))


class AuditPersonalData(Base):
    """Values of personal fields, outside the chain. The chain holds sha256(salt || value); erasing the
    value and the salt honours a PIPL deletion request and leaves every hash intact. ``mac`` (keyed by
    a secret outside the database) makes any edit of a row detectable; NULL on rows older than it."""

    __tablename__ = "audit_personal_data"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    salt: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(Text, doc="canonical JSON text of the value")
    entity_type: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(60), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(default=None)
    mac: Mapped[str | None] = mapped_column(
        String(64), default=None, doc="HMAC of digest, entity, salt and value (audit.personal_mac)"
    )
