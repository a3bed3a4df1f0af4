"""The web-form API under uvicorn for the intake benchmark: python -m bench.webhook_server URL PORT [N].

Runs what ``synchub serve-api --workers N`` runs (the app factory in N worker processes), with the
benchmark's form secret.
"""

from __future__ import annotations

import json
import os
import sys

import uvicorn

SECRET = "bench-form-secret"

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    os.environ["SYNCHUB_DATABASE_URL"] = url
    os.environ["SYNCHUB_WEBFORM_SECRETS"] = json.dumps({"bench": SECRET})
    os.environ["SYNCHUB_WEBFORM_WINDOW_SECONDS"] = "3600"
    uvicorn.run(
        "hub.api.app:app_from_environment",
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
