"""The web-form API under uvicorn, for the intake benchmark: python -m bench.webhook_server URL PORT."""

from __future__ import annotations

import sys

import uvicorn
from pydantic import SecretStr

from connectors.webform import WebFormSettings
from hub.api import create_app
from hub.gc_tuning import tune_for_serving
from hub.store import make_engine

SECRET = "bench-form-secret"

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    settings = WebFormSettings(secrets={"bench": SecretStr(SECRET)}, window_seconds=3600)
    app = create_app(make_engine(url), settings)
    tune_for_serving()  # as `synchub serve-api` does
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
