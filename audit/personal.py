"""Honouring a PIPL erasure request without breaking the chain.

The chain only ever held sha256(salt || value) for personal values (declared personal columns, and
free text holding a phone, e-mail address or ID number: :mod:`audit.free_text`); the values and salts
sit in ``audit_personal_data``. Erasure removes the person's values from the record and from every row
that quotes them (:mod:`audit.erasure`: for a lead, its raw payloads, quarantine rows, the customer and
contacts made from it, its notifications) through audited updates, then deletes every stored value and
salt of those rows that is the person's: the hashes still verify, and the digests left behind can no
longer be linked to a person, because the salt is gone.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from audit.capture import record_event
from audit.encoding import entity_type_of
from audit.erasure import Person, person_of, scope_of, scrub_object
from audit.models import AuditPersonalData
from audit.personal_mac import personal_mac, personal_mac_key
from core.models.base import pii_columns, utcnow

__all__ = ["erase_personal_data"]

_TABLE: Table = AuditPersonalData.__table__  # type: ignore[assignment]
_ERASE = (
    update(_TABLE)
    .where(_TABLE.c.digest == bindparam("d"))
    .values(value=None, salt=None, erased_at=bindparam("at"), mac=bindparam("m"))
)


def _entity(obj: Any) -> tuple[str, str]:
    return entity_type_of(type(obj)), ":".join(str(p) for p in inspect(obj).identity or ())


def _the_persons(value_text: str, person: Person) -> bool:
    try:
        value = json.loads(value_text)
    except ValueError:
        value = value_text
    texts = [value] if isinstance(value, str) else [json.dumps(value, ensure_ascii=False)]
    return any(person.mentioned_in(t) for t in texts)


def _erase_stored(session: Session, owned: list[Any], related: list[Any], person: Person) -> int:
    """Erase the stored values of the owned rows, and those of the related rows that are the person's."""
    entities = {_entity(o): False for o in related if _entity(o)[1]} | {_entity(o): True for o in owned}
    if not entities:
        return 0
    conn = session.connection()
    found = []
    for (entity_type, entity_id), everything in entities.items():
        rows = conn.execute(
            select(_TABLE.c.digest, _TABLE.c.value).where(
                _TABLE.c.entity_type == entity_type,
                _TABLE.c.entity_id == entity_id,
                _TABLE.c.erased_at.is_(None),
            )
        ).all()
        found += [
            (entity_type, entity_id, r.digest) for r in rows if everything or _the_persons(r.value, person)
        ]
    if not found:
        return 0
    key, now = personal_mac_key(), utcnow()
    conn.execute(
        _ERASE,
        [
            {"d": d, "at": now, "m": personal_mac(key, d, t, i, None, None) if key else None}
            for t, i, d in found
        ],
    )
    return len(found)


def erase_personal_data(session: Session, obj: Any, reason: str) -> int:
    """Erase the person behind ``obj`` (see the module); returns the number of stored values erased."""
    scope = scope_of(session, obj)
    person = person_of(scope)
    for item in scope.owned:
        scrub_object(item, person, owned=True)
    for item in scope.related:
        scrub_object(item, person, owned=False)
    session.flush()
    erased = _erase_stored(session, scope.owned, scope.related, person)
    entity_type, entity_id = _entity(obj)
    details: dict[str, Any] = {
        "fields": sorted(pii_columns(type(obj))),
        "values_erased": erased,
        "rows": sorted(f"{t}:{i}" for t, i in {_entity(o) for o in (*scope.owned, *scope.related)}),
    }
    record_event(session, "erase", entity_type, entity_id, details, reason)
    return erased
