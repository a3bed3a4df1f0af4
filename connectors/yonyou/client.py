"""Yonyou calls for both editions: token auth, the shared retry layer, reply codes classified.

As with Kingdee, reads are retried on any retriable failure and writes only when they provably did
not run; a timeout after sending, a dropped connection or a 5xx on a write raises
:class:`~connectors.erp_gateway.AmbiguousWriteError`.

On YonBIP a path is sent to the tenant's ``gatewayUrl`` and the token is fetched from its ``tokenUrl``,
both looked up once per process (``datacenter``) before the first call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from connectors.errors import ConnectorError, FatalError, RetriableError, error_for_status
from connectors.http import VendorClient, request_tags, send_write
from connectors.retry import call_with_retry, parse_retry_after
from connectors.yonyou import datacenter
from connectors.yonyou.auth import BipTokenAuth, U8TokenAuth
from connectors.yonyou.errors import bip_error, u8_error
from connectors.yonyou.settings import YonyouSettings

__all__ = ["YonyouClient"]


class YonyouClient(VendorClient[YonyouSettings]):
    connector = "yonyou"
    settings_class = YonyouSettings

    def build_auth(self) -> U8TokenAuth | BipTokenAuth:
        if self.settings.edition == "u8":
            return U8TokenAuth(self.settings)
        return BipTokenAuth(self.settings, lambda: self.hosts().token_url)

    def hosts(self) -> datacenter.BipHosts:
        """The tenant's YonBIP hosts: from the process cache, else looked up (retried when retriable)."""
        found = datacenter.cached(self.settings)
        if found is not None:
            return found

        def lookup() -> datacenter.BipHosts:
            url, params = datacenter.lookup_request(self.settings)
            tags = request_tags("yonyou", "datacenter")
            response = self.http.get(url, params=params, auth=None, extensions=tags)  # before any token
            error = error_for_status(response.status_code, connector="yonyou", detail="data-centre lookup")
            if error is not None:
                raise error
            try:
                body = response.json()
            except ValueError:
                body = None
            return datacenter.parse_lookup(body, self.settings.tenant_id)

        hosts = call_with_retry(lookup, self.settings, what="yonyou data-centre lookup")
        return datacenter.remember(self.settings, hosts)

    def classify(self, body: Any) -> ConnectorError | None:
        return u8_error(body) if self.settings.edition == "u8" else bip_error(body)

    def _send(
        self, method: str, path: str, params: Mapping[str, str], body: Any, stream: str
    ) -> httpx.Response:
        url = path if self.settings.edition == "u8" else self.hosts().gateway_url + path
        return self.http.request(
            method, url, params=dict(params), json=body, extensions=request_tags("yonyou", stream)
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
        if self.settings.edition == "bip":
            self.hosts()  # looked up (and retried) before the write, never inside its single send

        def once() -> dict[str, Any]:
            response = send_write(
                lambda: self._send("POST", path, params or {}, body, stream), "yonyou", what
            )
            return self._reply(response, what)

        return call_with_retry(once, self.settings, what=f"yonyou {what}")

    @staticmethod
    def not_found(exc: FatalError) -> bool:
        return str(exc.code) in ("20001", "404")
