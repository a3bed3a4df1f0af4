"""Yonyou app tokens as ``httpx.Auth`` flows: fetch a token with the app key and secret, put it in
the query string, and when a reply says it expired fetch a new one and replay the request once.

- U8 OpenAPI: ``GET /system/token?from_account=&app_key=&app_secret=`` -> ``token.id``; calls carry
  ``from_account``, ``app_key`` and ``token``.
- YonBIP: ``GET {tokenUrl}/open-auth/selfAppAuth/getAccessToken?appKey=&timestamp=&signature=`` with
  ``signature = urlencode(base64(HmacSHA256(appSecret, "appKey" + appKey + "timestamp" + timestamp)))``
  -> ``data.access_token``; calls carry ``access_token``. ``tokenUrl`` is the tenant's, from the
  data-centre lookup (``connectors.yonyou.datacenter``), which the client does before the first call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Generator

import httpx

from connectors.errors import ConnectorError, FatalError, RetriableError
from connectors.redaction import get_logger, register_secret
from connectors.yonyou.errors import BIP_TOKEN_EXPIRED, U8_TOKEN_EXPIRED, bip_error, u8_error
from connectors.yonyou.settings import YonyouSettings

__all__ = ["BipTokenAuth", "U8TokenAuth", "bip_signature"]

logger = get_logger("synchub.connectors.yonyou.auth")


def bip_signature(app_key: str, app_secret: str, timestamp: str) -> str:
    """base64(HmacSHA256(secret, "appKey<key>timestamp<ts>")); httpx URL-encodes it as a parameter."""
    message = f"appKey{app_key}timestamp{timestamp}".encode()
    return base64.b64encode(hmac.new(app_secret.encode(), message, hashlib.sha256).digest()).decode()


class _AppTokenAuth(httpx.Auth):
    requires_response_body = True
    expired_codes: frozenset[str] = frozenset()
    code_key = "errcode"

    def __init__(self, settings: YonyouSettings) -> None:
        if missing := settings.credentials_missing():
            raise FatalError(f"yonyou: set {' and '.join(missing)}", connector="yonyou")
        self.settings = settings
        self.token: str | None = None
        self.fetched = 0
        self._lock = threading.Lock()

    def token_request(self) -> httpx.Request:
        raise NotImplementedError

    def parse(self, response: httpx.Response) -> str:
        raise NotImplementedError

    def apply(self, request: httpx.Request, token: str) -> httpx.Request:
        raise NotImplementedError

    def _expired(self, response: httpx.Response) -> bool:
        if response.status_code == 401:
            return True
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and str(body.get(self.code_key)) in self.expired_codes

    def _fetch(self, failed: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        with self._lock:
            if self.token is not None and self.token != failed:
                return self.token
            response = yield self.token_request()
            response.read()
            token = self.parse(response)
            register_secret(token)
            self.token, self.fetched = token, self.fetched + 1
            logger.info("yonyou: %s token fetched (%d)", self.settings.edition, self.fetched)
            return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.token if self.token is not None else (yield from self._fetch(None))
        response = yield self.apply(request, token)
        if self._expired(response):
            logger.info("yonyou: token expired; fetching a new one and replaying once")
            token = yield from self._fetch(token)
            yield self.apply(request, token)


def _token_error(error: ConnectorError | None, response: httpx.Response) -> ConnectorError:
    status = response.status_code
    if status >= 500 or status == 429 or isinstance(error, RetriableError):
        return RetriableError(
            f"yonyou: token request failed (HTTP {status})", connector="yonyou", status=status
        )
    return FatalError(f"yonyou: token refused: {error}; check app_key and app_secret", connector="yonyou")


class U8TokenAuth(_AppTokenAuth):
    expired_codes = U8_TOKEN_EXPIRED

    def token_request(self) -> httpx.Request:
        s = self.settings
        secret = s.app_secret.get_secret_value() if s.app_secret else ""
        params = {"from_account": s.from_account, "app_key": s.app_key, "app_secret": secret}
        return httpx.Request("GET", s.base_url + "/system/token", params=params)

    def parse(self, response: httpx.Response) -> str:
        body = response.json() if response.status_code < 500 else None
        token = body.get("token", {}).get("id") if isinstance(body, dict) and not u8_error(body) else None
        if not token:
            raise _token_error(u8_error(body), response)
        return str(token)

    def apply(self, request: httpx.Request, token: str) -> httpx.Request:
        s = self.settings
        url = request.url.copy_merge_params({"from_account": s.from_account, "app_key": s.app_key})
        request.url = url.copy_set_param("token", token)
        return request


class BipTokenAuth(_AppTokenAuth):
    expired_codes = BIP_TOKEN_EXPIRED
    code_key = "code"

    def __init__(self, settings: YonyouSettings, token_url: Callable[[], str]) -> None:
        super().__init__(settings)
        self.token_url = token_url

    def token_request(self) -> httpx.Request:
        s = self.settings
        stamp = str(int(time.time() * 1000))
        secret = s.app_secret.get_secret_value() if s.app_secret else ""
        params = {
            "appKey": s.app_key,
            "timestamp": stamp,
            "signature": bip_signature(s.app_key, secret, stamp),
        }
        return httpx.Request("GET", self.token_url() + s.bip_token_path, params=params)

    def parse(self, response: httpx.Response) -> str:
        body = response.json() if response.status_code < 500 else None
        data = body.get("data") if isinstance(body, dict) and not bip_error(body) else None
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token:
            raise _token_error(bip_error(body), response)
        return str(token)

    def apply(self, request: httpx.Request, token: str) -> httpx.Request:
        request.url = request.url.copy_set_param("access_token", token)
        return request
