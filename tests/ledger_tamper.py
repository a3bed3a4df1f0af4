"""Tampering as an attacker with database rights would: drop the triggers, edit, put them back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from audit import ddl
from audit.bundle_verify import entry_hash
from audit.encoding import format_timestamp


def tamper(engine: Engine, action: Callable[[Connection], Any]) -> None:
    with engine.begin() as conn:
        ddl.uninstall(conn)
        action(conn)
        ddl.install(conn)


def rechain_from(conn: Connection, start_seq: int) -> None:
    """Recompute every hash from ``start_seq`` on and fix the head, as a careful attacker would."""
    rows = conn.execute(text("SELECT * FROM audit_log WHERE seq >= :s ORDER BY seq"), {"s": start_seq})
    entries = [dict(r._mapping) for r in rows]
    prev = conn.execute(text("SELECT hash FROM audit_log WHERE seq = :s"), {"s": start_seq - 1}).scalar()
    prev = prev or "0" * 64
    for entry in entries:
        entry["prev_hash"] = prev
        stamp = entry["recorded_at"]
        entry["recorded_at"] = format_timestamp(
            datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
        )
        new_hash = entry_hash(entry)
        conn.execute(
            text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE seq = :s"),
            {"p": prev, "h": f"tmp{entry['seq']}"[:64], "s": entry["seq"]},
        )
        entry["hash"] = prev = new_hash
    for entry in entries:  # two passes: the hash column is unique
        conn.execute(
            text("UPDATE audit_log SET hash = :h WHERE seq = :s"), {"h": entry["hash"], "s": entry["seq"]}
        )
    fix_head(conn)


def fix_head(conn: Connection) -> None:
    row = conn.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).one()
    conn.execute(
        text("UPDATE audit_head SET last_seq = :s, last_hash = :h WHERE id = 1"), {"s": row[0], "h": row[1]}
    )
