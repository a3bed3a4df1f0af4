"""Landing: raw payloads kept as received, idempotent on (source, external id), mapped to leads.

Delivering the same record twice changes nothing; a changed payload for the same id updates the raw
record and the lead (both audited, with what changed); a payload that cannot be mapped is kept in
quarantine with its reason, and its raw record stays, so nothing is ever dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit.capture import lock_chain
from audit.encoding import canonical_json
from connectors.base import SourceRecord
from hub.canonical import CanonicalLead
from hub.errors import MappingError
from hub.models import Lead, QuarantinedRecord, RawRecord, Source, utcnow
from mapping import FieldMap, load_field_map, map_excel_row, map_lead

Mapper = Callable[[dict[str, Any]], CanonicalLead]

__all__ = [
    "LandingResult",
    "Outcome",
    "apply_lead",
    "attach_lead",
    "ensure_source",
    "field_map_for",
    "land_records",
    "mapper_for",
    "quarantine",
]

# CanonicalLead fields copied onto the Lead row as they are.
_LEAD_FIELDS = (
    "contact_name",
    "contact_title",
    "phone",
    "phone_kind",
    "email",
    "company",
    "uscc",
    "address",
    "province_hint",
    "city_hint",
    "budget_min",
    "budget_max",
    "products",
    "channel",
    "campaign",
    "remark",
    "submitted_at",
)


@dataclass
class Outcome:
    """What became of one record: landed (new), updated, duplicate (unchanged) or quarantined."""

    status: str
    lead_id: int | None = None
    reason: str | None = None


@dataclass
class LandingResult:
    received: int = 0
    landed: int = 0  # new raw records
    updated: int = 0  # known id, changed payload
    unchanged: int = 0  # exact redelivery
    quarantined: int = 0
    new_lead_ids: list[int] = field(default_factory=list)
    changed_lead_ids: list[int] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by external id

    def merge(self, other: LandingResult) -> None:
        for name in ("received", "landed", "updated", "unchanged", "quarantined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.new_lead_ids += other.new_lead_ids
        self.changed_lead_ids += other.changed_lead_ids
        self.outcomes.update(other.outcomes)


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def ensure_source(session: Session, name: str, kind: str, **config: Any) -> Source:
    lock_chain(session)  # two workers meeting a new source must not both insert it
    source = session.scalars(select(Source).where(Source.name == name)).one_or_none()
    if source is None:
        source = Source(name=name, kind=kind, config=config)
        session.add(source)
        session.flush()
    return source


def apply_lead(lead: Lead, canonical: CanonicalLead) -> bool:
    """Copy the canonical fields onto ``lead``; True when anything changed."""
    changed = False
    for name in _LEAD_FIELDS:
        value = getattr(canonical, name)
        if name == "products":
            value = list(value)
        if getattr(lead, name) != value:
            setattr(lead, name, value)
            changed = True
    return changed


def attach_lead(
    session: Session, source: Source, raw: RawRecord, canonical: CanonicalLead, lead: Lead | None
) -> tuple[Lead, bool]:
    """Create or update the lead of ``raw`` from ``canonical``; (lead, created)."""
    created = lead is None
    if lead is None:
        lead = Lead(source_id=source.id, external_id=raw.external_id)
        session.add(lead)
    apply_lead(lead, canonical)
    raw.status, raw.lead = "mapped", lead
    return lead, created


def field_map_for(source: Source) -> FieldMap:
    """The source kind's packaged map, with the tenant override named in the source's config."""
    override = source.config.get("mapping_file") if source.config else None
    return _cached_map(source.kind, override)


def mapper_for(source: Source) -> Mapper:
    """payload -> CanonicalLead for ``source``; spreadsheet rows are stored as {"row": {...}, ...}."""
    field_map = field_map_for(source)
    if source.kind == "excel":
        return lambda payload: map_excel_row(field_map, payload.get("row") or {}, str(payload.get("id")))
    return lambda payload: map_lead(field_map, payload)


@lru_cache(maxsize=64)
def _cached_map(kind: str, override: str | None) -> FieldMap:
    return load_field_map(kind, Path(override) if override else None)


def quarantine(
    session: Session, source: Source, raw: RawRecord | None, payload: dict[str, Any], stage: str, error: str
) -> QuarantinedRecord:
    """Keep the record with its reason; a record already open in quarantine counts one more attempt."""
    existing = None
    if raw is not None and raw.id is not None:
        existing = session.scalars(
            select(QuarantinedRecord).where(
                QuarantinedRecord.raw_record_id == raw.id, QuarantinedRecord.status == "open"
            )
        ).one_or_none()
    if existing is not None:
        existing.payload, existing.error = payload, error
        existing.attempts += 1
        existing.last_attempt_at = utcnow()
        return existing
    item = QuarantinedRecord(source_id=source.id, raw_record=raw, stage=stage, payload=payload, error=error)
    session.add(item)
    return item


def _resolve_quarantine(session: Session, raw: RawRecord) -> None:
    for item in session.scalars(
        select(QuarantinedRecord).where(
            QuarantinedRecord.raw_record_id == raw.id, QuarantinedRecord.status == "open"
        )
    ):
        item.status = "superseded"


def _existing_raw(session: Session, source: Source, ids: Sequence[str]) -> dict[str, RawRecord]:
    rows = session.scalars(
        select(RawRecord).where(RawRecord.source_id == source.id, RawRecord.external_id.in_(ids))
    )
    return {r.external_id: r for r in rows}


def _existing_leads(session: Session, source: Source, ids: Sequence[str]) -> dict[str, Lead]:
    rows = session.scalars(select(Lead).where(Lead.source_id == source.id, Lead.external_id.in_(ids)))
    return {r.external_id: r for r in rows}


def land_records(
    session: Session, source: Source, records: Iterable[SourceRecord], mapper: Mapper | None = None
) -> LandingResult:
    """Land a batch in the caller's transaction (the caller saves the cursor in the same one).

    One flush for the whole batch: raw records, quarantine entries and leads go in together.
    """
    mapper = mapper or mapper_for(source)
    lock_chain(session)  # concurrent workers: read what others committed before deciding new vs known
    batch = list({r.external_id: r for r in records}.values())  # the last delivery of an id wins
    result = LandingResult(received=len(batch))
    ids = [r.external_id for r in batch]
    raws, leads = _existing_raw(session, source, ids), _existing_leads(session, source, ids)
    now = utcnow()
    new_leads: list[Lead] = []
    mapped: dict[str, RawRecord] = {}
    for record in batch:
        digest = payload_digest(record.payload)
        raw = raws.get(record.external_id)
        if raw is not None and raw.payload_sha256 == digest:
            result.unchanged += 1
            result.outcomes[record.external_id] = Outcome("duplicate", raw.lead_id)
            continue
        status = "updated" if raw is not None else "landed"
        if raw is None:
            raw = RawRecord(
                source_id=source.id, external_id=record.external_id, account=record.account or None,
                payload=record.payload, payload_sha256=digest, received_at=now,
            )  # fmt: skip
            session.add(raw)
            result.landed += 1
        else:
            raw.payload, raw.payload_sha256, raw.received_at = record.payload, digest, now
            result.updated += 1
        try:
            canonical = mapper(record.payload)
        except MappingError as exc:
            raw.status = "quarantined"
            quarantine(session, source, raw, record.payload, "mapping", str(exc))
            result.quarantined += 1
            result.outcomes[record.external_id] = Outcome("quarantined", None, str(exc))
            continue
        if raw.status == "quarantined":  # a corrected redelivery supersedes the quarantined one
            _resolve_quarantine(session, raw)
        lead, is_new = attach_lead(session, source, raw, canonical, leads.get(record.external_id))
        if is_new:
            new_leads.append(lead)
        elif lead in session.dirty:
            result.changed_lead_ids.append(lead.id)
        mapped[record.external_id] = raw
        result.outcomes[record.external_id] = Outcome(status)
    if result.landed or result.updated:  # freshness counts new information, not redeliveries
        source.last_delivery_at = now
    session.flush()
    result.new_lead_ids = [lead.id for lead in new_leads]
    for external_id, raw in mapped.items():
        result.outcomes[external_id].lead_id = raw.lead.id if raw.lead is not None else None
    return result
