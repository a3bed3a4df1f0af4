"""Scale-out on PostgreSQL: two worker processes pull the same sources at the same time, and every
record lands exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.verify import verify_ledger
from connectors.registry import source_connector_names
from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from core.models import Lead, QuarantinedRecord, RawRecord

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=23, leads_per_account=40)) as server:
        yield server


def test_two_workers_pull_the_same_sources_without_duplicates_or_loss(
    pg_store: Engine, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    url = pg_store.url.render_as_string(hide_password=False)
    start = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.pull_worker", url, sandbox.base_url, str(start), str(i)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2)
    ]
    start.touch()
    results = [w.communicate(timeout=240) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-6000:-3000] for _, err in results]

    expected = {name: {str(r[key]) for r in sandbox.state.all_records(name)}
                for name, key in zip(source_connector_names(), ("clue_id", "leads_id", "clueId"), strict=True)}  # fmt: skip
    with pg_store.connect() as conn:
        raws = conn.execute(select(func.count()).select_from(RawRecord)).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(RawRecord.external_id)))).scalar_one()
        leads = conn.execute(select(func.count()).select_from(Lead)).scalar_one()
        quarantined = conn.execute(select(func.count()).select_from(QuarantinedRecord)).scalar_one()
    total = sum(len(ids) for ids in expected.values())
    assert raws == distinct == total  # nothing lost, nothing twice
    assert leads + quarantined == total
    assert verify_ledger(pg_store).ok
