"""Kingdee session login as an ``httpx.Auth`` flow: log in once, reuse the session cookie
``kdservice-sessionid`` on every call, and when a reply says the session is lost (``MsgCode`` 1) log
in again and replay the request once. A request refused for a lost session was not executed, so the
replay is safe even for a Save.

Login: ``AuthService.LoginByAppSecret`` ``{"parameters": [acctID, user, appId, appSecret, lcid]}`` or
``AuthService.ValidateUser`` ``{"acctID", "username", "password", "lcid"}``; ``LoginResultType`` 1
(or -5, success with a warning) is success.
"""

from __future__ import annotations

import threading
from collections.abc import Generator

import httpx

from connectors.errors import FatalError, RetriableError
from connectors.kingdee.errors import SESSION_LOST, response_status
from connectors.kingdee.settings import KingdeeSettings
from connectors.redaction import get_logger, register_secret

__all__ = ["SESSION_COOKIE", "KingdeeSessionAuth", "service_path"]

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


class KingdeeSessionAuth(httpx.Auth):
    requires_request_body = True
    requires_response_body = True

    def __init__(self, settings: KingdeeSettings) -> None:
        self.settings = settings
        self.session_id: str | None = None
        self.logins = 0
        self._lock = threading.Lock()

    def _login_request(self) -> httpx.Request:
        s = self.settings
        if s.login == "app_secret":
            if missing := s.credentials_missing():
                raise FatalError(
                    f"kingdee: set {' and '.join(missing)} (or SYNCHUB_KINGDEE_LOGIN=password)",
                    connector="kingdee",
                )
            assert s.app_secret is not None  # checked by credentials_missing
            secret = s.app_secret.get_secret_value()
            body: dict[str, object] = {"parameters": [s.acct_id, s.username, s.app_id, secret, s.lcid]}
            path = service_path("AuthService", "LoginByAppSecret")
        else:
            if missing := s.credentials_missing():
                raise FatalError(f"kingdee: set {' and '.join(missing)}", connector="kingdee")
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
        return str(session)

    def _login(self, failed: str | None) -> Generator[httpx.Request, httpx.Response, str]:
        with self._lock:
            if self.session_id is not None and self.session_id != failed:
                return self.session_id  # another thread logged in meanwhile
            response = yield self._login_request()
            response.read()
            self.session_id = self._parse_login(response)
            self.logins += 1
            logger.info("kingdee: logged in to account set %s (login %d)", self.settings.acct_id, self.logins)
            return self.session_id

    @staticmethod
    def _sign(request: httpx.Request, session: str) -> httpx.Request:
        request.headers["Cookie"] = f"{SESSION_COOKIE}={session}"
        return request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        session = self.session_id
        if session is None:
            session = yield from self._login(None)
        response = yield self._sign(request, session)
        if not _session_lost(response):
            return
        logger.info("kingdee: session lost; logging in again and replaying once")
        session = yield from self._login(session)
        yield self._sign(request, session)
