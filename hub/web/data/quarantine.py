"""Quarantine as the Leads page shows it (``services.intake.quarantine.list_quarantine``): no payloads, errors
masked, since both may hold a person's phone number."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import Source
from core.redact import mask_text
from services.intake.quarantine import ReplayReport, list_quarantine

__all__ = ["QuarantineItem", "QuarantineList", "ReplayResult", "quarantine", "replay_result"]


class QuarantineItem(BaseModel):
    id: int
    source: str | None
    stage: str
    error: str
    attempts: int
    status: str
    last_attempt_at: datetime
    created_at: datetime


class QuarantineList(BaseModel):
    open: int
    items: list[QuarantineItem]


class ReplayResult(BaseModel):
    replayed: list[int]
    still_failing: dict[int, str]


def quarantine(session: Session, limit: int = 100, source: str | None = None) -> QuarantineList:
    found = list_quarantine(session, "open", source)
    names = dict(session.execute(select(Source.id, Source.name)).all())
    items = [
        QuarantineItem(
            id=q.id,
            source=names.get(q.source_id) if q.source_id else None,
            stage=q.stage,
            error=mask_text(q.error)[:500],
            attempts=q.attempts,
            status=q.status,
            last_attempt_at=q.last_attempt_at,
            created_at=q.created_at,
        )
        for q in found[:limit]
    ]
    return QuarantineList(open=len(found), items=items)


def replay_result(report: ReplayReport) -> ReplayResult:
    return ReplayResult(
        replayed=report.replayed,
        still_failing={k: mask_text(v)[:300] for k, v in report.still_failing.items()},
    )
