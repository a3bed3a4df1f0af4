"""Yonyou calls for both editions: token auth, the shared retry layer, reply codes classified.

As with Kingdee, reads are retried on any retriable failure and writes only when they provably did
not run; a timeout after sending, a dropped connection or a 5xx on a write raises
:class:`~connectors.erp_gateway.AmbiguousWriteError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from connectors.erp_gateway import AmbiguousWriteError
from connectors.errors import FatalError, RetriableError, error_for_status
from connectors.http import RequestMetrics, make_client, request_tags
from connectors.retry import call_with_retry, parse_retry_after
from connectors.yonyou.auth import BipTokenAuth, U8TokenAuth
from connectors.yonyou.errors import bip_error, u8_error
from connectors.yonyou.settings import YonyouSettings

__all__ = ["YonyouClient"]

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_UNSURE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class YonyouClient:
    def __init__(
        self,
        settings: YonyouSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        metrics: RequestMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.auth = U8TokenAuth(settings) if settings.edition == "u8" else BipTokenAuth(settings)
        self.classify = u8_error if settings.edition == "u8" else bip_error
        self.http = make_client(
            settings, transport=transport, auth=self.auth, connector="yonyou", metrics=metrics
        )

    def close(self) -> None:
        self.http.close()

    def _send(
        self, method: str, path: str, params: Mapping[str, str], body: Any, stream: str
    ) -> httpx.Response:
        return self.http.request(
            method, path, params=dict(params), json=body, extensions=request_tags("yonyou", stream)
        )

    def _reply(self, response: httpx.Response, what: str) -> dict[str, Any]:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        error = error_for_status(
            response.status_code, connector="yonyou", retry_after=retry_after, detail=what
        )
        if error is not None:
            raise error
        try:
            body = response.json()
        except ValueError:
            raise RetriableError(f"yonyou: {what}: reply is not JSON", connector="yonyou") from None
        failure = self.classify(body)
        if failure is not None:
            raise failure
        return dict(body)

    def read(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        stream: str,
    ) -> dict[str, Any]:
        what = f"{method} {path}"
        return call_with_retry(
            lambda: self._reply(self._send(method, path, params or {}, body, stream), what),
            self.settings,
            what=f"yonyou {what}",
        )

    def write(
        self, path: str, *, params: Mapping[str, str] | None = None, body: Any, stream: str
    ) -> dict[str, Any]:
        what = f"POST {path}"

        def once() -> dict[str, Any]:
            try:
                response = self._send("POST", path, params or {}, body, stream)
            except _NOT_SENT:
                raise
            except _UNSURE as exc:
                raise AmbiguousWriteError(
                    f"yonyou: {what}: no reply ({type(exc).__name__})", connector="yonyou"
                ) from exc
            if response.status_code >= 500:
                raise AmbiguousWriteError(
                    f"yonyou: {what}: HTTP {response.status_code} after sending",
                    connector="yonyou",
                    status=response.status_code,
                )
            return self._reply(response, what)

        return call_with_retry(once, self.settings, what=f"yonyou {what}")

    @staticmethod
    def not_found(exc: FatalError) -> bool:
        return str(exc.code) in ("20001", "404")
