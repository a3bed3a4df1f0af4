"""Helpers shared by the connector tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from connectors.base import CursorState, MemoryTokenStore, Page, SourceConnector
from connectors.http import RequestMetrics
from connectors.incremental import CST
from connectors.registry import source_connector_class
from connectors.sandbox import RunningSandbox, sandbox_settings

__all__ = [
    "END",
    "FAST",
    "VENDOR_ERRORS",
    "Documented",
    "DocumentedTransport",
    "Harness",
    "documented_transport",
    "harness",
    "pull",
    "records_of",
]

END = datetime(2026, 12, 1, tzinfo=CST)
# Tiny waits so retries cost milliseconds; a short read timeout for the latency tests.
FAST: dict[str, Any] = {
    "retry_initial_wait": 0.001,
    "retry_max_wait": 0.01,
    "retry_max_total_delay": 5.0,
    "retry_after_max": 5.0,
    "retry_max_attempts": 4,
    "timeout_read": 5.0,
}


@dataclass
class Harness:
    connector: SourceConnector
    store: MemoryTokenStore
    metrics: RequestMetrics
    sandbox: RunningSandbox


def harness(sandbox: RunningSandbox, name: str, **overrides: Any) -> Harness:
    """A connector pointed at the running sandbox, with its own token store and metrics."""
    settings = sandbox_settings(name, sandbox.base_url, **{"page_size": 7, **FAST, **overrides})
    store, metrics = MemoryTokenStore(), RequestMetrics()
    cls = source_connector_class(name)
    connector = cls(settings=settings, token_store=store, metrics=metrics)
    return Harness(connector, store, metrics, sandbox)


def pull(
    connector: SourceConnector,
    stream: str,
    account: str,
    state: CursorState | None = None,
    end: datetime = END,
) -> list[Page]:
    return list(connector.read(stream, account, state or CursorState(), end))


def records_of(pages: list[Page]) -> list[Any]:
    return [record for page in pages for record in page.records]


# What each vendor answers a malformed request (HTTP 400 here): its own error envelope. Envelopes from
# the fixtures' sources (tests/fixtures/<vendor>/README.md); the codes: Baidu 400 "body error" is on
# Baidu's SEM code list (medium for this API); Ocean Engine 40000 and Tencent 31001 are the codes the
# connectors' READMEs list for a bad parameter, unsourced.
VENDOR_ERRORS: dict[str, dict[str, Any]] = {
    "ocean_engine": {"code": 40000, "message": "request does not match the documented shape",
                     "request_id": "documented-transport", "data": {}},
    "tencent_ads": {"code": 31001, "message": "request does not match the documented shape",
                    "message_cn": "请求参数不符合接口定义"},
    "baidu": {"header": {"desc": "failure", "status": 3, "failures": [
        {"code": 400, "field": "", "position": "", "id": 0,
         "message": "request does not match the documented shape", "content": ""}]},
        "body": {"data": []}},
}  # fmt: skip


def _keys(value: Any, prefix: str = "") -> list[str]:
    """Dotted names of a JSON object's keys, one level of nesting deep (``time_range.start_time``)."""
    if not isinstance(value, Mapping):
        return []
    out = []
    for key, inner in value.items():
        out.append(prefix + key)
        if not prefix and isinstance(inner, Mapping):
            out.extend(_keys(inner, f"{key}."))
    return out


@dataclass(frozen=True)
class Documented:
    """A vendor's documented request: method, path, and the query, header and body names it must carry."""

    method: str
    path: str
    query: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # dotted names into the JSON body
    error: Mapping[str, Any] = field(default_factory=dict)  # the vendor-shaped refusal

    @classmethod
    def from_fixture(
        cls, path: Path, *, error: Mapping[str, Any], method: str | None = None, url: str | None = None
    ) -> Documented:
        """From a ``*.request.json`` fixture (``method``, ``url``, ``headers``, ``query``, ``body``), or
        from a bare documented body with ``method`` and ``url`` taken from the fixture's README."""
        data = json.loads(path.read_text(encoding="utf-8"))
        described = "method" in data and "url" in data
        body = data.get("body") if described else data
        return cls(
            method=(data["method"] if described else method or "POST").upper(),
            path=urlsplit(data["url"] if described else url or "/").path,
            query=tuple(data.get("query", {})) if described else (),
            headers=tuple(h for h in data.get("headers", {}) if h.lower() != "content-type")
            if described
            else (),
            body=tuple(_keys(body)),
            error=error,
        )

    def problems(self, request: httpx.Request) -> list[str]:
        """Everything about ``request`` that differs from the documented request (empty: it conforms)."""
        found = []
        if request.method != self.method:
            found.append(f"method {request.method}, documented {self.method}")
        if request.url.path != self.path:
            found.append(f"path {request.url.path}, documented {self.path}")
        found += [f"query parameter {q} missing" for q in self.query if q not in request.url.params]
        found += [f"header {h} missing" for h in self.headers if h not in request.headers]
        if self.body:
            try:
                sent = _keys(json.loads(request.content))
            except ValueError:
                return [*found, "body is not JSON"]
            found += [f"body key {k} missing" for k in self.body if k not in sent]
        return found


class DocumentedTransport(httpx.MockTransport):
    """Answers ``reply`` to a request of the documented shape, HTTP 400 with the vendor's error otherwise;
    keeps what it saw (``seen``) and why it refused (``refused``)."""

    def __init__(self, expect: Documented, reply: Any | Callable[[httpx.Request], httpx.Response]) -> None:
        self.expect = expect
        self.seen: list[httpx.Request] = []
        self.refused: list[list[str]] = []

        def handle(request: httpx.Request) -> httpx.Response:
            self.seen.append(request)
            problems = expect.problems(request)
            if problems:
                self.refused.append(problems)
                return httpx.Response(400, json=dict(expect.error))
            return reply(request) if callable(reply) else httpx.Response(200, json=reply)

        super().__init__(handle)


def documented_transport(
    expect: Documented, reply: Any | Callable[[httpx.Request], httpx.Response]
) -> DocumentedTransport:
    """A fixture transport that checks the request against the vendor's documented one first."""
    return DocumentedTransport(expect, reply)
