"""The one HTTP client factory every connector uses.

``make_client`` sets explicit timeouts, connection limits and the ``SyncHub/0.1`` user agent, counts
requests and responses per (connector, stream) in a :class:`RequestMetrics`, and logs each exchange at
DEBUG with the URL and headers redacted. Tests swap the transport here (``transport=``) and nowhere
else: ``httpx.MockTransport`` for unit tests, nothing at all for the sandbox under uvicorn.

A request names its stream through the ``synchub`` request extension (see :func:`request_tags`).
A vendor's client subclasses :class:`VendorClient`, which holds its settings and its one client.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Self, TypedDict, TypeVar, Unpack

import httpx

from connectors.erp_gateway import AmbiguousWriteError
from connectors.redaction import get_logger, install_log_redaction, redact_headers, redact_url
from connectors.settings import ConnectorSettings
from connectors.trace import active_trace
from core.metrics import HTTP_REQUESTS, HTTP_RESPONSES, HTTP_RETRIES

__all__ = [
    "DEFAULT_METRICS",
    "USER_AGENT",
    "ClientOptions",
    "RequestMetrics",
    "VendorClient",
    "make_client",
    "request_tags",
    "send_write",
]

USER_AGENT = "SyncHub/0.1"
EXTENSION = "synchub"

logger = get_logger("synchub.connectors.http")

RequestHook = Callable[[httpx.Request], None]
ResponseHook = Callable[[httpx.Response], None]
S = TypeVar("S", bound=ConnectorSettings)

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_UNSURE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def request_tags(connector: str, stream: str) -> dict[str, Any]:
    """Request extensions that tell the hooks which connector and stream a request belongs to."""
    return {EXTENSION: {"connector": connector, "stream": stream}}


def _key(request: httpx.Request, default_connector: str) -> tuple[str, str]:
    tags = request.extensions.get(EXTENSION) or {}
    return (str(tags.get("connector", default_connector)), str(tags.get("stream", "-")))


@dataclass
class RequestMetrics:
    """Thread-safe counters: requests, responses by status, retries, per (connector, stream); each count
    also goes to the process's Prometheus counters (``core.metrics``, served at ``/metrics``)."""

    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    responses: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    retries: Counter[tuple[str, str]] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self, key: tuple[str, str]) -> None:
        with self._lock:
            self.requests[key] += 1
        HTTP_REQUESTS.labels(*key).inc()

    def count_response(self, key: tuple[str, str], status: int) -> None:
        with self._lock:
            self.responses[(*key, status)] += 1
        HTTP_RESPONSES.labels(*key, str(status)).inc()

    def count_retry(self, key: tuple[str, str]) -> None:
        with self._lock:
            self.retries[key] += 1
        HTTP_RETRIES.labels(*key).inc()

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
        if (trace := active_trace()) is not None:
            trace.record(response, connector)
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


class ClientOptions(TypedDict, total=False):
    """What a vendor client passes on to :func:`make_client` as it is."""

    transport: httpx.BaseTransport | None
    metrics: RequestMetrics | None


class VendorClient(Generic[S]):
    """A vendor's ``settings`` (``settings_class()``, from the environment, when not given) and its one
    :func:`make_client` client, ``http``, closed by :meth:`close` or on leaving a ``with`` block."""

    connector: ClassVar[str]
    settings_class: type[S]

    def __init__(self, settings: S | None = None, **options: Unpack[ClientOptions]) -> None:
        self.settings = settings if settings is not None else self.settings_class()
        self.auth = self.build_auth()
        self.http = make_client(self.settings, auth=self.auth, connector=self.connector, **options)

    def build_auth(self) -> httpx.Auth | None:
        """The auth every request goes through; None when the vendor's requests carry their own."""
        return None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()


def send_write(send: Callable[[], httpx.Response], connector: str, what: str) -> httpx.Response:
    """Send a write once. A failure that proves it was not sent passes through as it is (retriable);
    a timeout after sending, a dropped connection or a 5xx raises :class:`AmbiguousWriteError`."""
    try:
        response = send()
    except _NOT_SENT:
        raise
    except _UNSURE as exc:
        raise AmbiguousWriteError(
            f"{connector}: {what}: no reply ({type(exc).__name__})", connector=connector
        ) from exc
    if response.status_code >= 500:
        raise AmbiguousWriteError(
            f"{connector}: {what}: HTTP {response.status_code} after sending",
            connector=connector,
            status=response.status_code,
        )
    return response
