"""Serving ASGI apps: a server in a background thread (demo, tests, benchmarks), request bodies
limited while they stream (:class:`BodyLimit`), and uvicorn's access log masked
(:func:`mask_access_log`)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.redact import mask_text

__all__ = ["BodyLimit", "mask_access_log", "mask_target", "serve_in_thread"]


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1", access_log: bool = False) -> Iterator[str]:
    """Yield the base URL while uvicorn serves ``app``; the kernel picks the port (port 0).

    Port 0 and reading the port back, rather than handing uvicorn a pre-bound socket: that path
    leaves Nagle on and costs ~40 ms per keep-alive request.
    """
    config = uvicorn.Config(
        app,
        host=host,
        port=0,
        log_level="info" if access_log else "warning",
        lifespan="off",
        access_log=access_log,
        log_config=None,
    )
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


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 as soon as a request body passes its limit, counted as it streams (chunked bodies have no
    Content-Length to check up front), so nothing past the limit is ever buffered.

    ``limits`` maps path prefixes to byte limits (first match wins), ``default`` covers the rest. On
    overflow the 413 (with ``Connection: close``) is sent from inside ``receive``; the app then sees
    the read fail, and anything it still tries to send is dropped.
    """

    def __init__(self, app: ASGIApp, limits: Sequence[tuple[str, int]], default: int) -> None:
        self.app, self.limits, self.default = app, list(limits), default

    def _limit(self, path: str) -> int:
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(str(scope.get("path", "")))
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit)
            return
        seen, started, answered = 0, False, False

        async def counting_receive() -> Message:
            nonlocal seen, answered
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    if not started:
                        answered = True
                        await _refuse(send, limit)
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not answered:
                raise


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"status": "rejected", "error": f"body over {limit} bytes"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]  # fmt: skip
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def mask_target(target: str) -> str:
    """A request target (path and query) with every phone number masked, still URL-encoded: values
    are decoded first, so ``%2B86 139 8765 4321`` is caught too, and re-encoded (no log injection)."""
    path, sep, query = target.partition("?")
    masked = quote(mask_text(unquote(path)), safe="/:@!$&'()*+,;=-._~")
    if sep:
        pairs = parse_qsl(query, keep_blank_values=True)
        masked += "?" + urlencode([(mask_text(k), mask_text(v)) for k, v in pairs])
    return masked


class _MaskAccessLog(logging.Filter):
    """uvicorn logs ``'%s - "%s %s HTTP/%s" %d'`` with the full target as the third argument."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], mask_target(args[2]), args[3], args[4])
        return True


def mask_access_log() -> None:
    """Mask phone numbers in uvicorn's access log (idempotent; call it in each serving process)."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _MaskAccessLog) for f in logger.filters):
        logger.addFilter(_MaskAccessLog())
