"""A lead's sales stage, moved by the people who work it (CLI, console) and recorded in the ledger.

Stages go forward: new → assigned → contacted → qualified (需求确认) → proposal (方案报价) → won | lost.
A later stage may be set directly (a salesperson who qualified on the first call); a stage past
``contacted`` implies the first contact, so the SLA clock stops with it. Moving back, or out of
``won`` / ``lost``, is refused: a correction is a new decision with its reason, not an edit of history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from audit.capture import record_event
from core.errors import InputError, NotFoundError
from core.models import Lead, utcnow
from store.engine import session_scope

__all__ = ["CLOSED", "STAGES", "StageChange", "advance_stage", "set_stage"]

STAGES = ("new", "assigned", "contacted", "qualified", "proposal", "won", "lost")
CLOSED = ("won", "lost")
_CLOSED = CLOSED


@dataclass(frozen=True)
class StageChange:
    lead_id: int
    before: str
    after: str
    changed: bool


def set_stage(
    engine: Engine, lead_id: int, stage: str, *, by: str | None = None, note: str | None = None,
    at: datetime | None = None,
) -> StageChange:  # fmt: skip
    """Move lead ``lead_id`` to ``stage`` in its own transaction (the CLI and the console)."""
    if stage not in STAGES:
        raise InputError(f"stage {stage!r}: use one of {', '.join(STAGES)}")
    with session_scope(engine) as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise NotFoundError(f"lead {lead_id} does not exist")
        return advance_stage(session, lead, stage, by=by, note=note, at=at)


def advance_stage(
    session: Session, lead: Lead, stage: str, *, by: str | None = None, note: str | None = None,
    at: datetime | None = None,
) -> StageChange:  # fmt: skip
    """Move ``lead`` forward to ``stage`` in the caller's transaction, with a ``stage`` ledger event
    (a signed contract naming the lead moves it to ``won`` this way)."""
    before = lead.stage
    if before == stage:
        return StageChange(lead.id, before, stage, False)
    if before in _CLOSED or STAGES.index(stage) < STAGES.index(before):
        raise InputError(f"lead {lead.id} is {before}: a stage does not go back to {stage}")
    when = at or utcnow()
    if STAGES.index(stage) >= STAGES.index("contacted") and lead.first_contact_at is None:
        lead.first_contact_at = when  # qualifying a lead means someone talked to it
    lead.stage = stage
    record_event(session, "stage", "lead", lead.id, {"from": before, "to": stage, "by": by,
                                                      "at": when.isoformat()}, reason=note)  # fmt: skip
    return StageChange(lead.id, before, stage, True)
