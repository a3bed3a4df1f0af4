"""A writer process for the concurrency tests and benchmarks: N transactions of audited changes.

python -m tests.ledger_writer URL NAME TRANSACTIONS [START_FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from audit.context import audit_context
from hub.models import Customer
from hub.store import make_engine, session_scope


def write(url: str, name: str, transactions: int) -> int:
    engine = make_engine(url)
    written = 0
    with audit_context(actor=f"flow:{name}"):
        for i in range(transactions):
            with session_scope(engine) as s:
                customer = Customer(name=f"{name}-客户-{i}", phone=f"+86138{i:08d}")
                s.add(customer)
                s.flush()
                customer.owner = f"owner-{i % 7}"
                written += 2
    engine.dispose()
    return written


if __name__ == "__main__":
    url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if len(sys.argv) > 4:
        start = Path(sys.argv[4])
        while not start.exists():
            time.sleep(0.01)
    print(write(url, name, count))
