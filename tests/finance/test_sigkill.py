"""The push process killed with SIGKILL at random points, then run again: still exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from .conftest import Erp, installments, outbox, sign

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [1, 2, 3, 4, 5, 6]


def spawn(store_url: str, base_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.finance.push_child", store_url, base_url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_killed_push_then_rerun_pushes_each_installment_exactly_once(
    store: Engine, store_url: str, erp: Erp, seed: int
) -> None:
    rng = random.Random(seed)
    for n in range(6):
        sign(store, f"HT-K{seed}-{n}")
    erp.state.faults["kingdee"].update(
        {"latency": 0.04, "lost_reply": rng.randint(0, 2), "stall_seconds": 0.7}
    )
    child = spawn(store_url, erp.base_url)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 1.5))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    at_kill = len(erp.state.rows("kingdee", "AR_receivable"))
    print(f"seed {seed}: killed with {at_kill}/12 bills created")
    erp.state.faults["kingdee"].update({"latency": 0.0, "lost_reply": 0})
    rerun = spawn(store_url, erp.base_url)
    assert rerun.wait(timeout=60) == 0
    keys = [f"HT-K{seed}-{n}#{i}" for n in range(6) for i in (1, 2)]
    assert outbox(store) == {f"kingdee:{k}": "done" for k in keys}
    assert {k: erp.state.count_bills("kingdee", k) for k in keys} == dict.fromkeys(keys, 1)
    assert len(erp.state.rows("kingdee", "AR_receivable")) == 12
    assert len(erp.state.rows("kingdee", "BD_Customer")) == 6
    assert all(i.erp_id for i in installments(store).values())
