"""Where records enter the hub: sources, raw landed payloads, quarantine and sync cursors."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import PII, Audited, Base, Timestamps, utcnow

if TYPE_CHECKING:
    from core.models.crm import Lead


class Source(Audited, Timestamps, Base):
    """A configured origin of records: an ad account, a web form, a file drop, an ERP."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    enabled: Mapped[bool] = mapped_column(default=True)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    expected_interval_s: Mapped[int | None] = mapped_column(
        default=None, doc="Longest silence before a freshness alert; None disables it."
    )
    last_delivery_at: Mapped[datetime | None] = mapped_column(default=None)


class RawRecord(Audited, Timestamps, Base):
    """A payload exactly as received, idempotent on (source, external id)."""

    __tablename__ = "raw_records"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(100), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(info=PII)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(
        default=None, doc="When a signed sender sent the stored delivery; an older one never replaces it."
    )
    status: Mapped[str] = mapped_column(String(20), default="landed", doc="landed | mapped | quarantined")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), default=None, index=True)
    lead: Mapped[Lead | None] = relationship()


class QuarantinedRecord(Audited, Timestamps, Base):
    """A record that could not be mapped: kept with its reason until a replay succeeds."""

    __tablename__ = "quarantined_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), default=None, index=True)
    raw_record_id: Mapped[int | None] = mapped_column(ForeignKey("raw_records.id"), default=None)
    raw_record: Mapped[RawRecord | None] = relationship()
    stage: Mapped[str] = mapped_column(String(40), doc="landing | mapping | geocode | push ...")
    payload: Mapped[dict[str, Any]] = mapped_column(info=PII)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(
        String(20), default="open", doc="open | replayed | superseded (a corrected redelivery) | discarded"
    )
    last_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncCursor(Audited, Base):
    """Incremental position per (connector, stream, account); advanced with the records it covers."""

    __tablename__ = "sync_cursors"
    __table_args__ = (UniqueConstraint("connector", "stream", "account"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connector: Mapped[str] = mapped_column(String(60))
    stream: Mapped[str] = mapped_column(String(60))
    account: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[str | None] = mapped_column(String(200), default=None)
    boundary_keys: Mapped[list[Any]] = mapped_column(
        default=list, doc="Primary keys already seen at exactly `value`, to dedupe boundary ties."
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
