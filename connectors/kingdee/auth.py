"""Kingdee auth as ``httpx.Auth`` flows, both keeping every cookie the server sets.

- :class:`KingdeeSignedAuth` (``login = "signed"``, the current SDK's way): every request carries the
  signed headers of :mod:`connectors.kingdee.signing`; no login call.
- :class:`KingdeeSessionAuth` (``login = "app_secret" | "password"``): log in once with
  ``AuthService.LoginByAppSecret`` ``{"parameters": [acctID, user, appId, appSecret, lcid]}`` or
  ``AuthService.ValidateUser`` ``{"acctID", "username", "password", "lcid"}`` (``LoginResultType`` 1,
  or -5 with a warning, is success) and reuse the session.

Cookies: the shared client's cookie jar (``cookies``, set by ``KingdeeClient``) collects every
``Set-Cookie`` (``kdservice-sessionid``, ``ASP.NET_SessionId``, ...) and each request is sent with all
of them, as the SDKs do. A reply saying the session is lost (``MsgCode`` 1) was not executed, so it is
safe to replay once even for a Save: after a new login (session mode) or with fresh signed headers and
no stale cookies (signed mode; a second refusal means the app authorisation itself is wrong).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator

import httpx

from connectors.errors import FatalError, ReauthorizeError, RetriableError
from connectors.kingdee.errors import SESSION_LOST, response_status
from connectors.kingdee.settings import KingdeeSettings
from connectors.kingdee.signing import SignedIdentity, api_secret, signed_headers
from connectors.redaction import get_logger, register_secret

__all__ = ["SESSION_COOKIE", "KingdeeSessionAuth", "KingdeeSignedAuth", "service_path"]

SESSION_COOKIE = "kdservice-sessionid"
STUB = "Kingdee.BOS.WebApi.ServicesStub"
logger = get_logger("synchub.connectors.kingdee.auth")


def service_path(service: str, op: str) -> str:
    """``/Kingdee.BOS.WebApi.ServicesStub.<Service>.<Op>.common.kdsvc`` (relative to the /k3cloud root)."""
    return f"/{STUB}.{service}.{op}.common.kdsvc"


def _session_lost(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    try:
        status = response_status(response.json())
    except ValueError:
        return False
    return status is not None and not status.get("IsSuccess", True) and status.get("MsgCode") == SESSION_LOST


def _missing(settings: KingdeeSettings) -> None:
    if missing := settings.credentials_missing():
        other = " (or SYNCHUB_KINGDEE_LOGIN=password)" if settings.login != "password" else ""
        raise FatalError(f"kingdee: set {' and '.join(missing)}{other}", connector="kingdee")


class _CookieAuth(httpx.Auth):
    requires_request_body = True
    requires_response_body = True

    def __init__(self, settings: KingdeeSettings) -> None:
        self.settings = settings
        self.cookies = httpx.Cookies()  # replaced by the shared client's jar (KingdeeClient)

    def _with_cookies(self, request: httpx.Request) -> httpx.Request:
        """Every cookie the jar holds for this URL, not only the session id."""
        request.headers.pop("Cookie", None)
        self.cookies.set_cookie_header(request)
        return request

    def session_id(self) -> str | None:
        for cookie in self.cookies.jar:
            if cookie.name == SESSION_COOKIE and cookie.value:
                return cookie.value
        return None


class KingdeeSignedAuth(_CookieAuth):
    def __init__(self, settings: KingdeeSettings, clock: Callable[[], float] = time.time) -> None:
        super().__init__(settings)
        self.clock = clock
        self.identity: SignedIdentity | None = None

    def _identity(self) -> SignedIdentity:
        if self.identity is None:
            s = self.settings
            _missing(s)
            assert s.app_id is not None and s.app_secret is not None  # checked by credentials_missing
            app_id = s.app_id.get_secret_value()
            if api_secret(app_id) is None:
                raise FatalError(
                    "kingdee: SYNCHUB_KINGDEE_APP_ID must be <client id>_<32 characters> as shown in "
                    "第三方系统登录授权 (or use SYNCHUB_KINGDEE_LOGIN=app_secret)",
                    connector="kingdee",
                )
            register_secret(api_secret(app_id))
            secret = s.app_secret.get_secret_value()
            self.identity = SignedIdentity(s.acct_id, s.username, app_id, secret, s.lcid, s.org_num)
        return self.identity

    def _sign(self, request: httpx.Request) -> httpx.Request:
        path = request.url.path + (f"?{request.url.query.decode()}" if request.url.query else "")
        request.headers.update(signed_headers(self._identity(), path, int(self.clock())))
        self._with_cookies(request)
        session = self.session_id()
        request.headers.pop(SESSION_COOKIE, None)
        if session:
            register_secret(session)
            request.headers[SESSION_COOKIE] = session  # the Python SDK also sends it as a header
        return request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        response = yield self._sign(request)
        if not _session_lost(response):
            return
        logger.info("kingdee: session lost; replaying once with fresh signed headers and no cookies")
        self.cookies.clear()
        response = yield self._sign(request)
        if _session_lost(response):
            raise ReauthorizeError(
                "kingdee: the signed request was refused as 'session lost' twice; check acct_id, username, "
                "app_id and app_secret against 第三方系统登录授权 (enabled, integration user, IP whitelist)",
                connector="kingdee",
                code=SESSION_LOST,
            )


class KingdeeSessionAuth(_CookieAuth):
    def __init__(self, settings: KingdeeSettings) -> None:
        super().__init__(settings)
        self.session: str | None = None
        self.logins = 0
        self._lock = threading.Lock()

    def _login_request(self) -> httpx.Request:
        s = self.settings
        _missing(s)
        if s.login == "app_secret":
            assert s.app_id is not None and s.app_secret is not None  # checked by credentials_missing
            app = [s.app_id.get_secret_value(), s.app_secret.get_secret_value()]
            body: dict[str, object] = {"parameters": [s.acct_id, s.username, *app, s.lcid]}
            path = service_path("AuthService", "LoginByAppSecret")
        else:
            assert s.password is not None  # checked by credentials_missing
            body = {
                "acctID": s.acct_id,
                "username": s.username,
                "password": s.password.get_secret_value(),
                "lcid": s.lcid,
            }
            path = service_path("AuthService", "ValidateUser")
        return httpx.Request("POST", s.base_url + path, json=body)

    def _parse_login(self, response: httpx.Response) -> str:
        if response.status_code >= 500 or response.status_code == 429:
            raise RetriableError(
                f"kingdee: login HTTP {response.status_code}",
                connector="kingdee",
                status=response.status_code,
            )
        try:
            reply = response.json()
        except ValueError:
            raise RetriableError("kingdee: login reply is not JSON", connector="kingdee") from None
        kind = reply.get("LoginResultType") if isinstance(reply, dict) else None
        if kind not in (1, -5):
            message = reply.get("Message") if isinstance(reply, dict) else None
            raise FatalError(
                f"kingdee: login refused (LoginResultType {kind}): {message or 'no message'}; check acct_id, "
                "username and the app id/secret (or password)",
                connector="kingdee",
            )
        session = reply.get("KDSVCSessionId") or response.cookies.get(SESSION_COOKIE)
        if not session:
            raise FatalError("kingdee: login reply carries no session id", connector="kingdee")
        register_secret(str(session))
        if self.session_id() != str(session):  # the id came in the body only: it becomes the cookie
            self.cookies.delete(SESSION_COOKIE)
            self.cookies.set(SESSION_COOKIE, str(session), domain=response.request.url.host)
        return str(session)

    def _login(self, failed: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        with self._lock:
            if self.session is not None and self.session != failed:
                return self.session  # another thread logged in meanwhile
            response = yield self._login_request()
            response.read()
            self.session = self._parse_login(response)
            self.logins += 1
            logger.info("kingdee: logged in to account set %s (login %d)", self.settings.acct_id, self.logins)
            return self.session

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        session = self.session
        if session is None:
            session = yield from self._login(None)
        response = yield self._with_cookies(request)
        if not _session_lost(response):
            return
        logger.info("kingdee: session lost; logging in again and replaying once")
        yield from self._login(session)
        yield self._with_cookies(request)
