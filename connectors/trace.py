"""A trace of one run's HTTP exchanges with the vendors, redacted, to attach to a ticket with a vendor
(``synchub pull NAME --trace FILE``, ``synchub contract push --trace FILE``).

While a trace is on, every client made by :func:`connectors.http.make_client` in this process writes
one JSON line per exchange: time, connector, the request (method, URL, headers, body) and the reply
(status, headers, body). Secrets (tokens, signatures, passwords, cookies, anything registered as a
secret) and phone numbers are masked the way logs are, before anything reaches the file. Process-wide
rather than per context, so the push's worker threads are traced too. The file is created 0600.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import httpx

from connectors.redaction import redact_body, redact_headers, redact_url

__all__ = ["HttpTrace", "active_trace", "tracing"]

BODY_LIMIT = 20_000  # characters of each body kept in the trace


class HttpTrace:
    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self.exchanges = 0

    def record(self, response: httpx.Response, connector: str) -> None:
        """Write one exchange; reads the reply's body (the clients read it whole anyway)."""
        request = response.request
        response.read()
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "connector": connector,
            "request": {
                "method": request.method,
                "url": redact_url(request.url),
                "headers": redact_headers(request.headers),
                "body": redact_body(request.content, BODY_LIMIT) if request.content else None,
            },
            "response": {
                "status": response.status_code,
                "headers": redact_headers(response.headers),
                "body": redact_body(response.content, BODY_LIMIT) if response.content else None,
            },
        }
        line = json.dumps(entry, ensure_ascii=False)
        with self._lock:
            self._handle.write(line + "\n")
            self._handle.flush()
            self.exchanges += 1


_active: HttpTrace | None = None


def active_trace() -> HttpTrace | None:
    return _active


@contextmanager
def tracing(path: Path | None) -> Iterator[HttpTrace | None]:
    """Trace every exchange of the block into ``path`` (None: no trace)."""
    global _active
    if path is None:
        yield None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        trace = HttpTrace(handle)
        _active = trace
        try:
            yield trace
        finally:
            _active = None
