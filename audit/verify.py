"""Walk the whole chain in the database (and its checkpoints) and report the first problem.

The walk reads plain tuples from a DBAPI cursor (server-side on PostgreSQL) rather than ORM rows:
verification of a million entries is bound by per-row overhead, and must stay under ten seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.bundle_verify import ENTRY_FIELDS, GENESIS_HASH, check_checkpoints, entry_hash_values, fingerprint
from audit.encoding import format_timestamp
from audit.models import AuditCheckpoint, AuditHead
from audit.personal_check import check_personal_values
from audit.personal_mac import load_mac_key
from audit.trust import default_trust
from core.settings import HubSettings, get_settings

__all__ = ["VerifyResult", "iter_entries", "load_checkpoints", "verify_ledger"]

_BATCH = 20_000
_COLUMNS = ", ".join((*ENTRY_FIELDS, "hash"))
# PostgreSQL formats the timestamp itself (in C), much cheaper than a tz-aware datetime per row.
_PG_COLUMNS = _COLUMNS.replace(
    "recorded_at", """to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""", 1
)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    checkpoints: int
    problem: str | None = None
    trusted: tuple[str, ...] = ()  # fingerprints of the keys trusted (those that signed checkpoints first)
    personal_values: int = 0  # stored personal values checked against their digest and MAC


def _timestamp_text(value: Any) -> str:
    """The ledger's text form of ``recorded_at`` from what the driver returns."""
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, str) and value.endswith("Z"):
        return value
    # SQLite: SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC, naive)
    text = str(value)
    return f"{text[:10]}T{text[11:]}{'' if len(text) > 19 else '.000000'}Z"


def _iter_rows(engine: Engine, from_seq: int, to_seq: int | None) -> Iterator[tuple[Any, ...]]:
    """(seq, recorded_at text, ..., prev_hash, hash) tuples in seq order."""
    raw = engine.raw_connection()
    try:
        postgres = engine.dialect.name == "postgresql"
        cur = raw.cursor(name="synchub_verify") if postgres else raw.cursor()
        mark = "%s" if postgres else "?"
        where = f"seq >= {mark}" + (f" AND seq <= {mark}" if to_seq is not None else "")
        params = (from_seq,) if to_seq is None else (from_seq, to_seq)
        columns = _PG_COLUMNS if postgres else _COLUMNS
        cur.execute(f"SELECT {columns} FROM audit_log WHERE {where} ORDER BY seq", params)
        while rows := cur.fetchmany(_BATCH):
            for row in rows:
                yield (row[0], _timestamp_text(row[1]), *row[2:])
        cur.close()
    finally:
        raw.rollback()
        raw.close()


def iter_entries(engine: Engine, from_seq: int = 1, to_seq: int | None = None) -> Iterator[dict[str, Any]]:
    """Entries in seq order, as plain dicts in the form the hash covers (``recorded_at`` as text)."""
    names = (*ENTRY_FIELDS, "hash")
    for row in _iter_rows(engine, from_seq, to_seq):
        yield dict(zip(names, row, strict=True))


def load_checkpoints(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(AuditCheckpoint.__table__).order_by(AuditCheckpoint.seq)).mappings()
        return [dict(r) for r in rows]


def _walk(rows: Iterator[tuple[Any, ...]], wanted: set[int]) -> tuple[int, str, dict[int, str], str | None]:
    """Check seq continuity, links and hashes; returns (last good seq, its hash, wanted hashes, problem)."""
    expected_seq, prev = 1, GENESIS_HASH
    hashes: dict[int, str] = {0: GENESIS_HASH} if 0 in wanted else {}  # a checkpoint of the empty ledger
    for row in rows:
        seq = row[0]
        if seq != expected_seq:
            return (
                expected_seq - 1,
                prev,
                hashes,
                f"seq {expected_seq}: missing (next entry found is seq {seq})",
            )
        if row[9] != prev:
            return (
                seq - 1,
                prev,
                hashes,
                f"seq {seq}: prev_hash does not match the hash of the entry before it",
            )
        if entry_hash_values(row[:10]) != row[10]:
            return seq - 1, prev, hashes, f"seq {seq}: hash does not match the entry's contents"
        prev = row[10]
        if seq in wanted:
            hashes[seq] = prev
        expected_seq += 1
    return expected_seq - 1, prev, hashes, None


def _reporting(
    rows: Iterator[tuple[Any, ...]], progress: Callable[[int, int], None], total: int
) -> Iterator[tuple[Any, ...]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % _BATCH == 0:
            progress(done, total)
    progress(done, total)


def _trusted_prints(checkpoints: Sequence[dict[str, Any]], trusted: set[str]) -> tuple[str, ...]:
    used = [k for k in dict.fromkeys(str(cp["public_key"]) for cp in checkpoints) if k in trusted]
    return tuple(fingerprint(k) for k in [*used, *sorted(trusted - set(used))])


def verify_ledger(
    engine: Engine,
    trusted_keys: set[str] | None = None,
    external_checkpoints: Sequence[dict[str, Any]] = (),
    settings: HubSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Recompute every hash from seq 1, check the links, every checkpoint against the chain and every
    stored personal value against its digest and MAC.

    ``trusted_keys``: public keys (hex) a checkpoint may be signed by; None means the configured ones
    (:func:`audit.trust.default_trust`). A checkpoint signed by any other key fails verification.
    ``external_checkpoints`` are copies an auditor kept outside the database: they catch an attacker
    who rewrote the chain *and* the checkpoint table. ``progress(done, total)`` hears of the walk every
    ``_BATCH`` entries.
    """
    settings = settings or get_settings()
    trusted = default_trust(settings) if trusted_keys is None else set(trusted_keys)
    checkpoints = [*load_checkpoints(engine), *external_checkpoints]
    rows = _iter_rows(engine, 1, None)
    if progress is not None:
        with engine.connect() as conn:
            total = conn.execute(select(AuditHead.last_seq).where(AuditHead.id == 1)).scalar_one()
        rows = _reporting(rows, progress, total)
    count, prev, hashes, problem = _walk(rows, {int(cp["seq"]) for cp in checkpoints})
    with engine.connect() as conn:
        head = conn.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    if problem is None and (head.last_seq, head.last_hash) != (count, prev):
        problem = f"seq {count + 1}: chain ends at seq {count} but the head row says {head.last_seq}"
    if problem is None and checkpoints and not trusted:
        problem = (
            "no trusted public key to check the checkpoints with: pass --trust KEY, set "
            "SYNCHUB_AUDIT_TRUSTED_KEYS, or give this machine the signing key"
        )
    if problem is None:
        problem = check_checkpoints(checkpoints, hashes, trusted)
    checked = 0
    if problem is None:
        checked, problem = check_personal_values(engine, load_mac_key(settings))
    prints = _trusted_prints(checkpoints, trusted)
    return VerifyResult(problem is None, count, count, prev, len(checkpoints), problem, prints, checked)
