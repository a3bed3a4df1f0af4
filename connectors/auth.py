"""Access tokens with refresh, as ``httpx.Auth`` generator flows.

:class:`RefreshingTokenAuth` signs a request with the current access token, sends it, and if the
response says the token expired (HTTP 401 or a vendor code the connector's ``is_expired`` recognises)
it refreshes **once** and replays the request **once**. The refresh request is yielded through the
same client, so it uses the same transport, hooks and logging. Refresh is serialised by a lock; a
thread that finds the stored token already replaced uses the new one instead of refreshing again.

Tokens come from the :class:`~connectors.base.TokenStore` (key: connector name and the settings'
``token_owner``), falling back to the initial pair from settings. A refreshed pair is saved with
``TokenStore.save`` **before** it is used: Ocean Engine rotates the refresh token on every refresh
and the old one stops working, so an unsaved pair would be lost with the process.

Where the token goes is the subclass's job: :class:`HeaderTokenAuth` (Ocean Engine, ``Access-Token``
header), :class:`QueryTokenAuth` (Tencent: ``access_token``, ``timestamp`` and a fresh ``nonce`` per
request), :class:`JsonHeaderTokenAuth` (Baidu: ``header.accessToken`` in the JSON body).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Generator
from datetime import UTC, datetime, timedelta
from typing import Protocol

import httpx

from connectors.base import TokenPair, TokenStore
from connectors.errors import (
    ConnectorError,
    ErrorKind,
    FatalError,
    ReauthorizeError,
    RetriableError,
    VendorCodes,
)
from connectors.redaction import get_logger, register_secret

__all__ = [
    "HeaderTokenAuth",
    "JsonHeaderTokenAuth",
    "QueryTokenAuth",
    "RefreshingTokenAuth",
    "TokenRefresher",
    "parse_token_reply",
    "refresh_error",
]

logger = get_logger("synchub.connectors.auth")
EXPIRY_SKEW = timedelta(seconds=60)


class TokenRefresher(Protocol):
    """The vendor half of a refresh: build the request, read the new pair (or raise) from the reply."""

    def request(self, pair: TokenPair) -> httpx.Request: ...

    def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair: ...


def refresh_error(codes: VendorCodes, code: int | str, message: str = "") -> ConnectorError:
    """The error for a refused refresh: retriable codes stay retriable, anything else needs a person."""
    if codes.kind_of(code) is ErrorKind.RETRY:
        return codes.error(code, message)
    entry = codes.codes.get(code)
    meaning = entry.meaning if entry else "unknown code"
    return ReauthorizeError(
        f"{codes.connector}: token refresh refused with vendor code {code} ({meaning})"
        + (f": {message}" if message else "")
        + "; re-authorise the app in the vendor console (or check the app id and secret)",
        connector=codes.connector,
        code=code,
    )


def parse_token_reply(
    response: httpx.Response,
    previous: TokenPair,
    codes: VendorCodes,
    *,
    access_key: str = "access_token",
    refresh_key: str = "refresh_token",
    expires_key: str = "expires_in",
) -> TokenPair:
    """Read ``{"code": 0, "data": {access, refresh, expires}}``, the refresh reply of every ad platform
    here (only the key names differ); a vendor that rotates the refresh token sends a new one."""
    try:
        reply = response.json()
    except ValueError as exc:
        raise RetriableError(
            f"{codes.connector}: refresh reply HTTP {response.status_code} is not JSON"
        ) from exc
    code = reply.get("code")
    data = reply.get("data") or {}
    if code != 0 or not data.get(access_key):
        raise refresh_error(codes, code if code is not None else -1, str(reply.get("message", "")))
    expires_in = data.get(expires_key)
    return TokenPair(
        access_token=str(data[access_key]),
        refresh_token=str(data.get(refresh_key) or previous.refresh_token),
        expires_at=datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None,
    )


class RefreshingTokenAuth(httpx.Auth):
    """Sign, send, and on expiry refresh once and replay once."""

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        *,
        connector: str,
        owner: str,
        store: TokenStore,
        refresher: TokenRefresher,
        is_expired: Callable[[httpx.Response], bool] = lambda r: r.status_code == 401,
        initial: TokenPair | None = None,
    ) -> None:
        self.connector = connector
        self.owner = owner
        self.store = store
        self.refresher = refresher
        self.is_expired = is_expired
        self.initial = initial
        self.refreshes = 0
        self._lock = threading.Lock()

    def sign(self, request: httpx.Request, token: str) -> httpx.Request:
        raise NotImplementedError

    def current(self) -> TokenPair:
        pair = self.store.load(self.connector, self.owner) or self.initial
        if pair is None:
            raise FatalError(
                f"{self.connector}: no access token for {self.owner!r}: set the connector's access_token "
                "and refresh_token settings or authorise the app",
                connector=self.connector,
            )
        register_secret(pair.access_token)
        register_secret(pair.refresh_token)
        return pair

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        pair = self.current()
        if pair.expires_at is not None and pair.expires_at - EXPIRY_SKEW <= datetime.now(UTC):
            pair = yield from self._refresh(pair)
        response = yield self.sign(request, pair.access_token)
        if not self.is_expired(response):
            return
        logger.info("%s: access token expired for %s; refreshing once", self.connector, self.owner)
        pair = yield from self._refresh(pair)
        yield self.sign(request, pair.access_token)

    def _refresh(self, failed: TokenPair) -> Generator[httpx.Request, httpx.Response, TokenPair]:
        with self._lock:
            stored = self.store.load(self.connector, self.owner)
            if stored is not None and stored.access_token != failed.access_token:
                return stored  # another request refreshed meanwhile
            if not failed.refresh_token:
                raise ReauthorizeError(
                    f"{self.connector}: access token for {self.owner!r} expired and there is no refresh "
                    "token: re-authorise the app in the vendor console",
                    connector=self.connector,
                )
            response = yield self.refresher.request(failed)
            response.read()
            new = self.refresher.parse(response, failed)
            register_secret(new.access_token)
            register_secret(new.refresh_token)
            self.store.save(self.connector, self.owner, new)
            self.refreshes += 1
            logger.info("%s: token refreshed for %s and saved", self.connector, self.owner)
            return new


class HeaderTokenAuth(RefreshingTokenAuth):
    """The token in one header (Ocean Engine: ``Access-Token``)."""

    header = "Access-Token"

    def sign(self, request: httpx.Request, token: str) -> httpx.Request:
        request.headers[self.header] = token
        return request


class QueryTokenAuth(RefreshingTokenAuth):
    """Tencent: ``access_token``, ``timestamp`` (epoch seconds) and a unique ``nonce`` in the query."""

    def sign(self, request: httpx.Request, token: str) -> httpx.Request:
        url = request.url.copy_set_param("access_token", token)
        url = url.copy_set_param("timestamp", str(int(time.time())))
        request.url = url.copy_set_param("nonce", uuid.uuid4().hex)
        return request


class JsonHeaderTokenAuth(RefreshingTokenAuth):
    """Baidu: ``{"header": {"userName": …, "accessToken": …}, "body": …}``; the token goes in the header."""

    def sign(self, request: httpx.Request, token: str) -> httpx.Request:
        try:
            envelope = json.loads(request.read() or b"{}")
        except ValueError as exc:
            raise FatalError(f"{self.connector}: request body is not JSON", connector=self.connector) from exc
        envelope.setdefault("header", {})["accessToken"] = token
        headers = httpx.Headers(request.headers)
        headers.pop("Content-Length", None)
        return httpx.Request(
            request.method,
            request.url,
            headers=headers,
            content=json.dumps(envelope, ensure_ascii=False).encode("utf-8"),
            extensions=request.extensions,
        )
