"""Baidu source connector: lead notices per user name; ``userName``/``accessToken`` in the body header.

Wire facts and their sources are in this folder's README.md (conformance table). In short, as the
baiduads SDK builds it: ``POST /json/sms/service/LeadsNoticeService/getNoticeList`` with
``Content-Type``/``Accept`` ``application/json;charset=UTF-8`` and the body
``{"header": {"userName", "accessToken"}, "body": {"solutionType", "startDate", "endDate", "pageNo",
"pageSize"}}``; the reply is ``{"header": {"status", "failures", …}, "body": {"data": [{"totalNum",
"rowNumber", "noticeDetailList": [lead, …]}]}}`` and ``header.status == 0`` is success.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from connectors.auth import JsonHeaderTokenAuth, TokenRefresher, parse_token_reply
from connectors.baidu.errors import BAIDU_CODES, BAIDU_OAUTH_CODES
from connectors.baidu.settings import BaiduSettings
from connectors.baidu.streams import STREAMS
from connectors.base import TokenPair
from connectors.errors import ConnectorError, ErrorKind, FatalError, RetriableError
from connectors.pagination import PageRequest, dig
from connectors.redaction import get_logger
from connectors.streams import HttpSourceConnector, Stream

__all__ = ["JSON_TYPE", "REFRESH_PATH", "BaiduConnector", "BaiduRefresher", "BaiduTokenAuth"]

REFRESH_PATH = "/oauth/refreshToken"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
JSON_TYPE = "application/json;charset=UTF-8"  # the SDK's Content-Type and Accept for the JSON services
OAUTH_JSON_TYPE = "application/json;charset=utf-8"  # the SDK's OAuth client spells it in lower case
logger = get_logger("synchub.connectors.baidu")


class BaiduTokenAuth(JsonHeaderTokenAuth):
    """``header.accessToken`` in the JSON body, sent with the SDK's content type and accept headers."""

    def sign(self, request: httpx.Request, token: str) -> httpx.Request:
        signed = super().sign(request, token)
        signed.headers["Content-Type"] = JSON_TYPE
        signed.headers["Accept"] = JSON_TYPE
        return signed


class BaiduRefresher:
    """``POST {oauth_base_url}/oauth/refreshToken``: a new access token and refresh token."""

    def __init__(self, settings: BaiduSettings) -> None:
        self.settings = settings

    def request(self, pair: TokenPair) -> httpx.Request:
        if not self.settings.app_id or self.settings.secret_key is None or not self.settings.user_id:
            missing = " and ".join(self.settings.unset("app_id", "secret_key", "user_id"))
            raise FatalError(f"baidu: set {missing} to refresh tokens", connector="baidu")
        user_id = self.settings.user_id.strip()
        body = {  # the SDK's RefreshTokenRequest, in its order; userId is a Long there
            "appId": self.settings.app_id,
            "refreshToken": pair.refresh_token,
            "secretKey": self.settings.secret_key.get_secret_value(),
            "userId": int(user_id) if user_id.isdigit() else user_id,
        }
        headers = {"Content-Type": OAUTH_JSON_TYPE, "Accept": OAUTH_JSON_TYPE}
        url = self.settings.oauth_base_url + REFRESH_PATH
        return httpx.Request("POST", url, json=body, headers=headers)

    def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair:
        return parse_token_reply(
            response,
            previous,
            BAIDU_OAUTH_CODES,
            access_key="accessToken",
            refresh_key="refreshToken",
            expires_key="expiresIn",
        )


def _code(value: Any) -> int | str:
    """A failure code as the table keys it (the SDK types it int; a digit string is read as one)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else (text or -1)


class BaiduConnector(HttpSourceConnector[BaiduSettings]):
    name = "baidu"
    settings_class = BaiduSettings
    stream_list = STREAMS
    token_auth_class = BaiduTokenAuth

    def refresher(self) -> TokenRefresher:
        return BaiduRefresher(self.settings)

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        body = {  # pageNo and pageSize are added by the paginator
            "solutionType": self.settings.solution_type,
            "startDate": start.strftime(TIME_FORMAT),
            "endDate": end.strftime(TIME_FORMAT),
        }
        return PageRequest(stream.path, json={"header": {"userName": account}, "body": body})

    def parse_records(self, stream: Stream, body: Any) -> list[dict[str, Any]]:
        """The leads of every ``body.data`` item (the SDK allows a list; replies seen carry one)."""
        blocks = dig(body, "body.data")
        if not isinstance(blocks, list):
            return []
        rows = [dig(block, "noticeDetailList") for block in blocks if isinstance(block, dict)]
        return [r for part in rows if isinstance(part, list) for r in part if isinstance(r, dict)]

    def classify(self, body: Any) -> ConnectorError | None:
        """``header.status == 0`` is success. Otherwise ``failures[].code`` says what to do next: a
        token, rate or retry code wins over the rest; a status-2 reply that still carries leads is a
        partial success (API-NOTES; not in the SDK) whose leads are kept and failures logged."""
        header = body.get("header") if isinstance(body, dict) else None
        if not isinstance(header, dict) or "status" not in header:
            return RetriableError("baidu: reply without a header status", connector=self.name)
        status = header["status"]
        if status == 0:
            return None
        failures = [f for f in header.get("failures") or [] if isinstance(f, dict)]
        codes = [_code(f.get("code", -1)) for f in failures]
        errors = [
            BAIDU_CODES.error(c, str(f.get("message", ""))) for c, f in zip(codes, failures, strict=True)
        ]
        for code, error in zip(codes, errors, strict=True):
            if BAIDU_CODES.kind_of(code) is not ErrorKind.FATAL:
                return error
        if status == 2 and self.parse_records(self.stream_list[0], body):
            logger.warning("baidu: partial success (status 2), failures %s; leads kept", codes)
            return None
        if errors:
            return errors[0]
        desc = str(header.get("desc", ""))
        return FatalError(f"baidu: status {status} without failures: {desc}", connector=self.name)
