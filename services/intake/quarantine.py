"""Quarantine: list, show and replay records that could not be mapped, after a mapping fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import MappingError, NotFoundError
from core.models import Lead, QuarantinedRecord, Source, utcnow
from services.intake.landing import attach_lead, mapper_for

__all__ = ["ReplayReport", "list_quarantine", "replay"]


@dataclass
class ReplayReport:
    replayed: list[int] = field(default_factory=list)
    still_failing: dict[int, str] = field(default_factory=dict)


def list_quarantine(
    session: Session, status: str | None = "open", source: str | None = None
) -> list[QuarantinedRecord]:
    query = select(QuarantinedRecord).order_by(QuarantinedRecord.id)
    if status:
        query = query.where(QuarantinedRecord.status == status)
    if source:
        query = query.join(Source, Source.id == QuarantinedRecord.source_id).where(Source.name == source)
    return list(session.scalars(query))


def replay(
    session: Session,
    ids: list[int] | None = None,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReplayReport:
    """Map each open record again with the current field map; mapped ones leave quarantine.
    ``progress(done, total)`` hears of each record tried."""
    items = list_quarantine(session, "open", source)
    if ids:
        wanted = set(ids)
        items = [i for i in items if i.id in wanted]
        missing = wanted - {i.id for i in items}
        if missing:
            raise NotFoundError(f"no open quarantined record with id {', '.join(map(str, sorted(missing)))}")
    report = ReplayReport()
    for done, item in enumerate(items):
        if progress is not None:
            progress(done, len(items))
        src = session.get_one(Source, item.source_id) if item.source_id else None
        if src is None or item.raw_record is None or item.stage != "mapping":
            report.still_failing[item.id] = f"stage {item.stage!r} is replayed by its own flow"
            continue
        item.attempts += 1
        item.last_attempt_at = utcnow()
        try:
            canonical = mapper_for(src)(item.payload)
        except MappingError as exc:
            item.error = str(exc)
            report.still_failing[item.id] = str(exc)
            continue
        existing = session.scalars(
            select(Lead).where(Lead.source_id == src.id, Lead.external_id == item.raw_record.external_id)
        ).one_or_none()
        attach_lead(session, src, item.raw_record, canonical, existing)
        item.status = "replayed"
        report.replayed.append(item.id)
    if progress is not None:
        progress(len(items), len(items))
    session.flush()
    return report
