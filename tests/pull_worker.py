"""A worker process for the scale-out test: pull every sandbox platform into the hub.

python -m tests.pull_worker DATABASE_URL SANDBOX_URL START_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from audit.context import audit_context
from connectors.registry import get_source_connector, source_connector_names
from connectors.sandbox import sandbox_settings
from services.intake.pull import pull_source
from services.intake.tokens import DatabaseTokenStore
from store.engine import make_engine

if __name__ == "__main__":
    database_url, sandbox_url, start = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    engine = make_engine(database_url)
    while not start.exists():
        time.sleep(0.005)
    received = {}
    with audit_context(actor=f"flow:pull-worker-{sys.argv[4] if len(sys.argv) > 4 else 0}"):
        for name in source_connector_names():
            settings = sandbox_settings(name, sandbox_url, page_size=10)
            connector = get_source_connector(name, token_store=DatabaseTokenStore(engine), settings=settings)
            received[name] = pull_source(engine, connector).landing.received
    print(json.dumps(received))
