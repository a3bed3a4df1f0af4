"""Two writer processes at once keep one gapless, intact chain."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from audit.verify import verify_ledger

ROOT = Path(__file__).resolve().parents[1]


def test_two_processes_write_one_gapless_chain(store: Engine, store_url: str, tmp_path: Path) -> None:
    start = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.ledger_writer", store_url, name, "150", "1", str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("writer-a", "writer-b")
    ]
    start.touch()
    outputs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert sum(json.loads(out)["written"] for out, _ in outputs) == 600

    result = verify_ledger(store)
    assert result.ok, result.problem
    assert result.count == 600
    with store.connect() as conn:
        seqs = conn.execute(select(AuditLog.seq).order_by(AuditLog.seq)).scalars().all()
        actors = dict(conn.execute(select(AuditLog.actor, func.count()).group_by(AuditLog.actor)).all())
        order = conn.execute(select(AuditLog.actor).order_by(AuditLog.seq)).scalars().all()
    assert seqs == list(range(1, 601))
    assert actors == {"flow:writer-a": 300, "flow:writer-b": 300}
    switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
    if store.dialect.name == "postgresql":  # row locks hand the head over fairly: truly interleaved
        assert switches > 10
