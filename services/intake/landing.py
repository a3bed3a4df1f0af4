"""Landing: raw payloads kept as received, idempotent on (source, external id), mapped to leads.

Delivering the same record twice changes nothing; a changed payload for the same id updates the raw
record and the lead (both audited, with what changed); a payload that cannot be mapped is kept in
quarantine with its reason, and its raw record stays, so nothing is ever dropped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from audit.bulk import bulk_insert
from audit.capture import lock_chain
from audit.encoding import canonical_json
from connectors.base import SourceRecord
from core.errors import MappingError
from core.metrics import LANDINGS
from core.models import Lead, QuarantinedRecord, RawRecord, Source, utcnow
from mapping import FieldMap, load_field_map, map_excel_row, map_lead
from mapping.canonical import CanonicalLead

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


def _latest_per_id(records: Iterable[SourceRecord]) -> list[SourceRecord]:
    """One delivery per id: the last one, unless a signed time says an earlier one is newer."""
    latest: dict[str, SourceRecord] = {}
    for record in records:
        kept = latest.get(record.external_id)
        if kept is None or not _older(record, kept):
            latest[record.external_id] = record
    return list(latest.values())


def _older(record: SourceRecord, than: SourceRecord | RawRecord) -> bool:
    """True when both carry a signed time and ``record``'s is not later (a replay or an old retry)."""
    return record.sent_at is not None and than.sent_at is not None and record.sent_at <= than.sent_at


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

    New records go in through audited bulk inserts (leads, then raw records pointing at them);
    changed ones through the ORM, so their ledger entries carry exactly what changed.
    """
    mapper = mapper or mapper_for(source)
    lock_chain(session)  # concurrent workers: read what others committed before deciding new vs known
    batch = _latest_per_id(records)
    result = LandingResult(received=len(batch))
    ids = [r.external_id for r in batch]
    raws, leads = _existing_raw(session, source, ids), _existing_leads(session, source, ids)
    now = utcnow()
    fresh: list[tuple[SourceRecord, str, CanonicalLead | str]] = []  # canonical, or the mapping error
    changed: dict[str, RawRecord] = {}
    new_leads: list[Lead] = []
    for record in batch:
        ext, digest = record.external_id, payload_digest(record.payload)
        raw = raws.get(ext)
        if raw is not None and raw.payload_sha256 == digest:
            result.unchanged += 1
            result.outcomes[ext] = Outcome("duplicate", raw.lead_id)
            continue
        if raw is not None and _older(record, raw):
            result.unchanged += 1
            result.outcomes[ext] = Outcome("stale", raw.lead_id, "older than the delivery already stored")
            continue
        try:
            mapped: CanonicalLead | str = mapper(record.payload)
        except MappingError as exc:
            mapped = str(exc)
        if raw is None and ext not in leads:
            fresh.append((record, digest, mapped))
            continue
        if raw is None:  # a lead without its raw record (made elsewhere): keep both in step
            raw = RawRecord(source_id=source.id, external_id=ext, account=record.account or None)
            session.add(raw)
        raw.payload, raw.payload_sha256, raw.received_at = record.payload, digest, now
        raw.sent_at = record.sent_at or raw.sent_at
        result.updated += 1
        if isinstance(mapped, str):
            raw.status = "quarantined"
            quarantine(session, source, raw, record.payload, "mapping", mapped)
            result.quarantined += 1
            result.outcomes[ext] = Outcome("quarantined", None, mapped)
            continue
        if raw.status == "quarantined":  # a corrected redelivery supersedes the quarantined one
            _resolve_quarantine(session, raw)
        lead, is_new = attach_lead(session, source, raw, mapped, leads.get(ext))
        if is_new:
            new_leads.append(lead)
        elif lead in session.dirty:
            result.changed_lead_ids.append(lead.id)
        changed[ext] = raw
        result.outcomes[ext] = Outcome("updated")
    _land_fresh(session, source, fresh, now, result)
    if result.landed or result.updated:  # freshness counts new information, not redeliveries
        source.last_delivery_at = now
    session.flush()
    for ext, raw in changed.items():
        result.outcomes[ext].lead_id = raw.lead.id if raw.lead is not None else None
    result.new_lead_ids += [lead.id for lead in new_leads]
    _count_on_commit(session, source.name, result)
    return result


def _count_on_commit(session: Session, source: str, result: LandingResult) -> None:
    """Count the outcomes in ``synchub_landings_total`` once the caller's transaction commits (a batch
    rolled back and landed again record by record is counted once)."""
    counts: dict[str, int] = {}
    for outcome in result.outcomes.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1

    def count(_: Session) -> None:
        for status, n in counts.items():
            LANDINGS.labels(source, status).inc(n)

    event.listen(session, "after_commit", count, once=True)


def _lead_row(source: Source, external_id: str, canonical: CanonicalLead) -> dict[str, Any]:
    row = {name: getattr(canonical, name) for name in _LEAD_FIELDS}
    row["products"] = list(canonical.products)
    return {"source_id": source.id, "external_id": external_id, **row}


def _land_fresh(
    session: Session,
    source: Source,
    fresh: list[tuple[SourceRecord, str, CanonicalLead | str]],
    now: datetime,
    result: LandingResult,
) -> None:
    """Records never seen before: leads first, then raw records pointing at them, then quarantine."""
    mapped = [(r, d, c) for r, d, c in fresh if not isinstance(c, str)]
    lead_ids = bulk_insert(session, Lead, [_lead_row(source, r.external_id, c) for r, _, c in mapped])
    rows: list[dict[str, Any]] = [
        {"source_id": source.id, "external_id": r.external_id, "account": r.account or None,
         "payload": r.payload, "payload_sha256": d, "received_at": now, "sent_at": r.sent_at,
         "status": "quarantined" if isinstance(c, str) else "mapped"}
        for r, d, c in fresh
    ]  # fmt: skip
    lead_of = dict(zip((r.external_id for r, _, _ in mapped), lead_ids, strict=True))
    for row in rows:
        row["lead_id"] = lead_of.get(str(row["external_id"]))
    raw_ids = bulk_insert(session, RawRecord, rows)
    for (record, _, canonical), raw_id in zip(fresh, raw_ids, strict=True):
        ext = record.external_id
        if isinstance(canonical, str):
            session.add(
                QuarantinedRecord(
                    source_id=source.id, raw_record_id=raw_id, stage="mapping", payload=record.payload,
                    error=canonical,
                )
            )  # fmt: skip
            result.quarantined += 1
            result.outcomes[ext] = Outcome("quarantined", None, canonical)
        else:
            result.outcomes[ext] = Outcome("landed", lead_of[ext])
    result.landed += len(fresh)
    result.new_lead_ids += lead_ids
