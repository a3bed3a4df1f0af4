"""Fill a ledger with N realistic, correctly chained entries fast (for the verify benchmark).

Goes around the ORM on purpose: building a million entries through audited writes would take minutes
and measure the writes, not the verification.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine

from audit.bundle_verify import GENESIS_HASH, entry_hash
from audit.encoding import canonical_json, format_timestamp
from audit.models import AuditHead, AuditLog

CHUNK = 20_000


def fill(engine: Engine, count: int) -> None:
    prev, base = GENESIS_HASH, datetime(2026, 11, 1, tzinfo=UTC)
    seq = 0
    while seq < count:
        rows = []
        for _ in range(min(CHUNK, count - seq)):
            seq += 1
            stamp = base + timedelta(milliseconds=seq)
            changes = {
                "before": {"owner": f"sales-{seq % 50}", "stage": "new"},
                "after": {
                    "owner": f"sales-{(seq + 1) % 50}",
                    "stage": "assigned",
                    "phone": {"$pii": "ab" * 32},
                },
            }
            row = {
                "seq": seq,
                "recorded_at": format_timestamp(stamp),
                "actor": f"flow:route-leads/{seq // 1000}",
                "action": "update",
                "entity_type": "lead",
                "entity_id": str(seq % 100_000),
                "changes": canonical_json(changes),
                "reason": "territory rule 3: 浙江省杭州市 -> ortho-east",
                "correlation_id": f"run-{seq // 1000}",
                "prev_hash": prev,
            }
            row["hash"] = prev = entry_hash(row)
            row["recorded_at"] = stamp
            rows.append(row)
        with engine.begin() as conn:
            conn.execute(insert(AuditLog), rows)
    with engine.begin() as conn:
        conn.execute(update(AuditHead).where(AuditHead.id == 1).values(last_seq=seq, last_hash=prev))
