"""Serve an ASGI app from a background thread on a free loopback port (demo, tests, benchmarks)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

__all__ = ["serve_in_thread"]


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Yield the base URL while uvicorn serves ``app``; the kernel picks the port (port 0).

    Port 0 and reading the port back, rather than handing uvicorn a pre-bound socket: that path
    leaves Nagle on and costs ~40 ms per keep-alive request.
    """
    config = uvicorn.Config(app, host=host, port=0, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="synchub-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url_host = f"[{host}]" if ":" in host else host
    try:
        yield f"http://{url_host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
