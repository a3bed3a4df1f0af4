"""The one HTTP client factory every connector uses.

``make_client`` sets explicit timeouts, connection limits and the ``SyncHub/0.1`` user agent, counts
requests and responses per (connector, stream) in a :class:`RequestMetrics`, and logs each exchange at
DEBUG with the URL and headers redacted. Tests swap the transport here (``transport=``) and nowhere
else: ``httpx.MockTransport`` for unit tests, nothing at all for the sandbox under uvicorn.

A request names its stream through the ``synchub`` request extension (see :func:`request_tags`).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from connectors.redaction import get_logger, install_log_redaction, redact_headers, redact_url
from connectors.settings import ConnectorSettings

__all__ = ["DEFAULT_METRICS", "USER_AGENT", "RequestMetrics", "make_client", "request_tags"]

USER_AGENT = "SyncHub/0.1"
EXTENSION = "synchub"

logger = get_logger("synchub.connectors.http")

RequestHook = Callable[[httpx.Request], None]
ResponseHook = Callable[[httpx.Response], None]


def request_tags(connector: str, stream: str) -> dict[str, Any]:
    """Request extensions that tell the hooks which connector and stream a request belongs to."""
    return {EXTENSION: {"connector": connector, "stream": stream}}


def _key(request: httpx.Request, default_connector: str) -> tuple[str, str]:
    tags = request.extensions.get(EXTENSION) or {}
    return (str(tags.get("connector", default_connector)), str(tags.get("stream", "-")))


@dataclass
class RequestMetrics:
    """Thread-safe counters: requests, responses by status, retries, per (connector, stream)."""

    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    responses: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    retries: Counter[tuple[str, str]] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self, key: tuple[str, str]) -> None:
        with self._lock:
            self.requests[key] += 1

    def count_response(self, key: tuple[str, str], status: int) -> None:
        with self._lock:
            self.responses[(*key, status)] += 1

    def count_retry(self, key: tuple[str, str]) -> None:
        with self._lock:
            self.retries[key] += 1

    def total(self, connector: str | None = None, stream: str | None = None) -> int:
        """Requests sent, optionally only for one connector and/or stream."""
        with self._lock:
            return sum(
                n
                for (c, s), n in self.requests.items()
                if (connector is None or c == connector) and (stream is None or s == stream)
            )

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.responses.clear()
            self.retries.clear()


DEFAULT_METRICS = RequestMetrics()


def make_client(
    settings: ConnectorSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    auth: httpx.Auth | None = None,
    connector: str = "connector",
    metrics: RequestMetrics | None = None,
    request_hooks: Sequence[RequestHook] = (),
    response_hooks: Sequence[ResponseHook] = (),
    base_url: str | None = None,
) -> httpx.Client:
    """A configured ``httpx.Client``; the caller closes it (use it as a context manager)."""
    install_log_redaction()
    counters = metrics if metrics is not None else DEFAULT_METRICS

    def on_request(request: httpx.Request) -> None:
        counters.count_request(_key(request, connector))
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s %s headers=%s", request.method, redact_url(request.url), redact_headers(request.headers)
            )

    def on_response(response: httpx.Response) -> None:
        key = _key(response.request, connector)
        counters.count_response(key, response.status_code)
        logger.debug(
            "%s %s -> %s (%s/%s)",
            response.request.method,
            redact_url(response.request.url),
            response.status_code,
            *key,
        )

    timeout = httpx.Timeout(
        connect=settings.timeout_connect,
        read=settings.timeout_read,
        write=settings.timeout_write,
        pool=settings.timeout_pool,
    )
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_keepalive_connections,
    )
    return httpx.Client(
        base_url=base_url if base_url is not None else settings.base_url,
        auth=auth,
        timeout=timeout,
        limits=limits,
        transport=transport,
        headers={"User-Agent": USER_AGENT},
        event_hooks={
            "request": [on_request, *request_hooks],
            "response": [on_response, *response_hooks],
        },
        follow_redirects=False,
        trust_env=settings.trust_env,
    )
