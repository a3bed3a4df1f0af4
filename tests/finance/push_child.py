"""A push worker process for the SIGKILL test: ``python -m tests.finance.push_child DB_URL BASE_URL``.

Prints ``ready`` once connected, then pushes until nothing is due (leases of killed workers are
waited out), and exits 0.
"""

from __future__ import annotations

import os
import sys
import time

from services.finance.gateways import build_gateways, close_all
from services.finance.outbox import list_messages
from services.finance.push import push_once
from services.finance.settings import FinanceSettings


def main(db_url: str, base_url: str) -> int:
    from connectors.sandbox.kingdee import sandbox_settings
    from store.engine import make_engine

    engine = make_engine(db_url)
    settings = FinanceSettings(lease_seconds=1.0, backoff_initial=0.0, max_attempts=20, batch_size=4)
    gateways = build_gateways(
        ["kingdee"], kingdee=sandbox_settings(base_url, timeout_read=0.5, retry_initial_wait=0.01)
    )
    print("ready", flush=True)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            report = push_once(engine, gateways, worker=f"child:{os.getpid()}", settings=settings)
            if report.claimed == 0:
                if all(m["status"] in ("done", "dead") for m in list_messages(engine, limit=1000)):
                    return 0
                time.sleep(0.1)
    finally:
        close_all(gateways)
        engine.dispose()
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
