"""How the Kingdee simulator authenticates a call: session login, the SDK's signed headers, cookies.

Written from the vendor's SDK (``kingdee.cdp.webapi.sdk`` 8.2.0 ``BuildHeader``; Java copy
``ApiRequester.buildHeader``), not from our connector, and checked against
``tests/fixtures/kingdee/sdk/signed_headers_sdk820.json``:

- signed: ``X-Kd-Appkey`` is the app id; ``X-Api-ClientID`` its first part; ``X-Kd-Appdata`` is
  base64 "acct,user,lcid,org"; ``X-Kd-Signature`` and ``X-Api-Signature`` are base64(hex(HMAC-SHA256));
  the API signature's key is the app id's second part decoded (base64, XOR with the SDK's fixed key,
  base64). A good signature without a live session cookie opens a session and sets the cookies, so an
  SDK that keeps sending a stale session id still works (the SDK has no re-login).
- refused: a bad or stale signature gets the "session lost" reply (``MsgCode`` 1, HTTP 200). Public
  client code reports that text for a wrong app authorisation; the exact refusal of the gateway is
  not published (medium). The timestamp window (10 minutes) is ours: the vendor's is undocumented.
- cookies: login and a new signed session set ``kdservice-sessionid`` and ``ASP.NET_SessionId``; only
  the first is required back (public clients that send only it work); ``cookies.all_returned`` counts
  calls that sent both back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
import uuid
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse

from connectors.sandbox.erp_state import ERP_CREDENTIALS, ErpState

__all__ = ["SESSION_COOKIE", "SandboxAuth", "lost_session"]

V = "kingdee"
SESSION_COOKIE = "kdservice-sessionid"
ASP_COOKIE = "ASP.NET_SessionId"
WINDOW_SECONDS = 600
_XOR = b"0054f397c6234378b09ca7d3e5debce7"


def lost_session() -> dict[str, Any]:
    """The vendor's session-lost reply (fixture ``sdk/session_lost.json``)."""
    error = {"FieldName": None, "Message": "会话信息已丢失，请重新登录", "DIndex": 0}
    status = {"ErrorCode": 500, "IsSuccess": False, "Errors": [error], "SuccessEntitys": []}
    return {"Result": {"ResponseStatus": {**status, "SuccessMessages": [], "MsgCode": 1}}}


def _hmac(message: str, key: str) -> str:
    digest = hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode()).decode()


def _gateway_secret(app_id: str) -> str:
    raw = base64.b64decode(app_id.split("_")[1])
    return base64.b64encode(bytes(b ^ k for b, k in zip(raw, _XOR, strict=False))).decode()


class SandboxAuth:
    def __init__(self, state: ErpState) -> None:
        self.state = state
        self.asp: dict[str, str] = {}

    def _open(self) -> str:
        session = uuid.uuid4().hex
        with self.state.lock:
            self.state.sessions[V].add(session)
            self.asp[session] = uuid.uuid4().hex[:24]
        return session

    def cookies_on(self, reply: JSONResponse, session: str) -> JSONResponse:
        reply.set_cookie(SESSION_COOKIE, session, path="/")
        reply.set_cookie(ASP_COOKIE, self.asp[session], path="/", httponly=True)
        return reply

    def login(self, op: str, body: Any) -> JSONResponse:
        creds = ERP_CREDENTIALS[V]
        params = body.get("parameters") if isinstance(body, dict) else None
        if op == "LoginByAppSecret":
            wanted = [creds["acct_id"], creds["username"], creds["app_id"], creds["app_secret"]]
            ok = isinstance(params, list) and params[:4] == wanted
        else:
            given = (
                params[:3]
                if isinstance(params, list)
                else [body.get(k) for k in ("acctID", "username", "password")]
            )
            ok = given == [creds["acct_id"], creds["username"], creds["password"]]
        self.state.count(V, "login")
        if not ok:
            return JSONResponse({"LoginResultType": 0, "Message": "用户名或密码错误", "KDSVCSessionId": None})
        session = self._open()
        context = {"UserName": creds["username"], "DBid": creds["acct_id"]}
        reply = {"LoginResultType": 1, "Message": None, "KDSVCSessionId": session, "Context": context}
        return self.cookies_on(JSONResponse(reply), session)

    def signature_problem(self, request: Request) -> str | None:
        """None when the signed headers are the SDK's for our app, else why not."""
        creds, h = ERP_CREDENTIALS[V], request.headers
        app_id = str(creds["app_id"])
        if h.get("X-Kd-Appkey") != app_id or h.get("X-Api-ClientID") != app_id.split("_")[0]:
            return "unknown app"
        try:
            app_data = base64.b64decode(h.get("X-Kd-Appdata", ""), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return "bad X-Kd-Appdata"
        if app_data.split(",")[:2] != [creds["acct_id"], creds["username"]]:
            return "wrong account set or user"
        if h.get("X-Kd-Signature") != _hmac(app_id + app_data, str(creds["app_secret"])):
            return "bad X-Kd-Signature"
        stamp, nonce = h.get("x-api-timestamp", ""), h.get("x-api-nonce", "")
        seconds = int(stamp) / (1000 if len(stamp) > 11 else 1) if stamp.isdigit() else 0.0
        if abs(seconds - time.time()) > WINDOW_SECONDS:
            return "stale timestamp"
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        signed = f"POST\n{quote(path, safe='')}\n\nx-api-nonce:{nonce}\nx-api-timestamp:{stamp}\n"
        if h.get("X-Api-Signature") != _hmac(signed, _gateway_secret(app_id)):
            return "bad X-Api-Signature"
        return None

    def authenticate(self, request: Request) -> tuple[str | None, bool]:
        """(session, opened): the session of this call, None when refused; ``opened`` when a good
        signature came without a live session, so the reply must set the new session's cookies."""
        session = request.cookies.get(SESSION_COOKIE) or request.headers.get(SESSION_COOKIE)
        live = session is not None and session in self.state.sessions[V]
        if "X-Kd-Appkey" in request.headers or "X-Api-Signature" in request.headers:
            problem = self.signature_problem(request)
            if problem is not None:
                self.state.count(V, f"refused.{problem}")
                return None, False
            if not live:
                return self._open(), True
        elif not live:
            return None, False
        assert session is not None
        if request.cookies.get(ASP_COOKIE) == self.asp.get(session):
            self.state.count(V, "cookies.all_returned")
        return session, False
