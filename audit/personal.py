"""Honouring a PIPL erasure request without breaking the chain.

The chain only ever held sha256(salt || value) for personal fields; the values and salts sit in
``audit_personal_data``. Erasure blanks the record's personal columns (an audited update like any
other), then deletes every stored value and salt for that record: the hashes still verify, and the
digests left behind can no longer be linked to a person, because the salt is gone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, update
from sqlalchemy.orm import Session

from audit.capture import record_event
from audit.encoding import entity_type_of
from audit.models import AuditPersonalData
from core.models.base import pii_columns, utcnow

__all__ = ["erase_personal_data"]


def erase_personal_data(session: Session, obj: Any, reason: str) -> int:
    """Blank ``obj``'s personal fields and erase their history; returns the number of values erased."""
    cls = type(obj)
    fields = sorted(pii_columns(cls))
    for name in fields:
        setattr(obj, name, None)
    session.flush()
    entity_type = entity_type_of(cls)
    entity_id = ":".join(str(p) for p in inspect(obj).identity or ())
    result = session.execute(
        update(AuditPersonalData)
        .where(
            AuditPersonalData.entity_type == entity_type,
            AuditPersonalData.entity_id == entity_id,
            AuditPersonalData.erased_at.is_(None),
        )
        .values(value=None, salt=None, erased_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    erased = int(result.rowcount or 0)  # type: ignore[attr-defined]
    record_event(
        session, "erase", entity_type, entity_id, {"fields": fields, "values_erased": erased}, reason
    )
    return erased
