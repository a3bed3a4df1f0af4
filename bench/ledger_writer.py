"""A writer process for the ledger's concurrency test and benchmark: audited changes in transactions.

python -m bench.ledger_writer URL NAME TRANSACTIONS [PER_TRANSACTION] [START_FILE]

Each transaction inserts PER_TRANSACTION customers and updates each once (2 ledger entries a
customer). Prints the number of audited writes and the seconds spent, as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from audit.context import audit_context
from core.models import Customer
from store.engine import make_engine, session_scope


def write(url: str, name: str, transactions: int, per_transaction: int = 1) -> tuple[int, float]:
    engine = make_engine(url)
    written = 0
    started = time.perf_counter()
    with audit_context(actor=f"flow:{name}"):
        for i in range(transactions):
            with session_scope(engine) as s:
                batch = [
                    Customer(name=f"{name}-客户-{i}-{j}", phone=f"+86138{i:05d}{j:03d}")
                    for j in range(per_transaction)
                ]
                s.add_all(batch)
                s.flush()
                for customer in batch:
                    customer.owner = f"owner-{i % 7}"
                written += 2 * per_transaction
    seconds = time.perf_counter() - started
    engine.dispose()
    return written, seconds


if __name__ == "__main__":
    url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    per = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    if len(sys.argv) > 5:
        start = Path(sys.argv[5])
        while not start.exists():
            time.sleep(0.005)
    done, secs = write(url, name, count, per)
    print(json.dumps({"written": done, "seconds": secs}))
