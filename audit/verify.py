"""Walk the whole chain in the database (and its checkpoints) and report the first problem."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.bundle_verify import GENESIS_HASH, check_chain, check_checkpoints
from audit.encoding import format_timestamp
from audit.models import AuditCheckpoint, AuditHead, AuditLog

__all__ = ["VerifyResult", "iter_entries", "load_checkpoints", "verify_ledger"]

_BATCH = 20_000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    checkpoints: int
    problem: str | None = None


def iter_entries(engine: Engine, from_seq: int = 1, to_seq: int | None = None) -> Iterator[dict[str, Any]]:
    """Entries in seq order, as plain dicts in the form the hash covers (``recorded_at`` as text)."""
    cols = AuditLog.__table__.c
    query = select(AuditLog.__table__).where(cols.seq >= from_seq).order_by(cols.seq)
    if to_seq is not None:
        query = query.where(cols.seq <= to_seq)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=_BATCH).execute(query)
        for row in result.mappings():
            entry = dict(row)
            entry["recorded_at"] = format_timestamp(entry["recorded_at"])
            yield entry


def load_checkpoints(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(select(AuditCheckpoint.__table__).order_by(AuditCheckpoint.seq)).mappings()
        return [dict(r) for r in rows]


def _chunks(entries: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def verify_ledger(
    engine: Engine,
    trusted_keys: set[str] | None = None,
    external_checkpoints: Sequence[dict[str, Any]] = (),
) -> VerifyResult:
    """Recompute every hash from seq 1, check the links, then every checkpoint against the chain.

    ``external_checkpoints`` are copies an auditor kept outside the database: they catch an attacker
    who rewrote the chain *and* the checkpoint table.
    """
    hashes: dict[int, str] = {}
    prev, count, problem = GENESIS_HASH, 0, None
    checkpoints = [*load_checkpoints(engine), *external_checkpoints]
    wanted = {int(cp["seq"]) for cp in checkpoints}
    for chunk in _chunks(iter_entries(engine), _BATCH):
        if chunk[0]["seq"] != count + 1:
            problem = f"seq {count + 1}: missing (next entry found is seq {chunk[0]['seq']})"
            break
        problem = check_chain(chunk, prev)
        if problem:
            break
        for entry in chunk:
            if entry["seq"] in wanted:
                hashes[entry["seq"]] = entry["hash"]
        prev, count = chunk[-1]["hash"], chunk[-1]["seq"]
    with engine.connect() as conn:
        head = conn.execute(select(AuditHead.last_seq, AuditHead.last_hash).where(AuditHead.id == 1)).one()
    if problem is None and (head.last_seq, head.last_hash) != (count, prev):
        problem = f"seq {count + 1}: chain ends at seq {count} but the head row says {head.last_seq}"
    if problem is None:
        problem = check_checkpoints(checkpoints, hashes, trusted_keys)
    return VerifyResult(problem is None, count, count, prev, len(checkpoints), problem)
