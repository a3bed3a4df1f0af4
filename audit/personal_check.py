"""Every stored personal value still matches its digest in the chain and its MAC.

A value or salt edited in ``audit_personal_data`` no longer hashes to the digest the chain holds; a row
moved to another record, or "erased" by hand, no longer matches its MAC (:mod:`audit.personal_mac`).
Rows stored before the MAC existed got theirs in the migration that added it, so a row without one is
a problem too. Without the MAC key on this machine only the digests are checked.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.models import AuditPersonalData
from audit.personal_mac import personal_mac

__all__ = ["check_personal_values"]

_BATCH = 5_000


def _problem(row: object, what: str) -> str:
    digest, entity_type, entity_id = row[0], row[1], row[2]  # type: ignore[index]
    return f"personal value {digest[:12]}… of {entity_type}:{entity_id}: {what} (edited outside SyncHub?)"


def check_personal_values(engine: Engine, mac_key: bytes | None) -> tuple[int, str | None]:
    """(rows checked, the first problem or None)."""
    table = AuditPersonalData.__table__
    query = select(
        table.c.digest, table.c.entity_type, table.c.entity_id, table.c.salt, table.c.value, table.c.mac,
        table.c.erased_at,
    ).order_by(table.c.digest)  # fmt: skip
    checked = 0
    with engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(query)
        for row in rows:
            digest, entity_type, entity_id, salt, value, mac, erased_at = row
            checked += 1
            if (salt is None) != (value is None) or (value is None) != (erased_at is not None):
                return checked, _problem(row, "value, salt and erasure time disagree")
            if value is not None:
                try:
                    computed = hashlib.sha256(bytes.fromhex(salt) + value.encode("utf-8")).hexdigest()
                except ValueError:
                    computed = ""
                if computed != digest:
                    return checked, _problem(row, "value or salt differs from the digest in the chain")
            if mac_key is not None:
                if mac is None:
                    return checked, _problem(row, "no MAC")
                expected = personal_mac(mac_key, digest, entity_type, entity_id, salt, value)
                if not hmac.compare_digest(expected, mac):
                    return checked, _problem(row, "MAC does not verify")
    return checked, None
