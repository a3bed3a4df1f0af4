"""Baidu source connector: lead notices per user name; ``userName``/``accessToken`` in the body header."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from connectors.auth import JsonHeaderTokenAuth, TokenRefresher, parse_token_reply
from connectors.baidu.errors import BAIDU_CODES, BAIDU_OAUTH_CODES
from connectors.baidu.settings import BaiduSettings
from connectors.baidu.streams import STREAMS
from connectors.base import TokenPair
from connectors.errors import ConnectorError, FatalError, RetriableError
from connectors.pagination import PageRequest
from connectors.redaction import get_logger
from connectors.streams import HttpSourceConnector, Stream

__all__ = ["REFRESH_PATH", "BaiduConnector", "BaiduRefresher"]

REFRESH_PATH = "/oauth/refreshToken"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
logger = get_logger("synchub.connectors.baidu")


class BaiduRefresher:
    """``POST {oauth_base_url}/oauth/refreshToken``: a new access token and refresh token."""

    def __init__(self, settings: BaiduSettings) -> None:
        self.settings = settings

    def request(self, pair: TokenPair) -> httpx.Request:
        if not self.settings.app_id or self.settings.secret_key is None or not self.settings.user_id:
            missing = " and ".join(self.settings.unset("app_id", "secret_key", "user_id"))
            raise FatalError(
                f"baidu: set {missing} to refresh tokens",
                connector="baidu",
            )
        body = {
            "appId": self.settings.app_id,
            "secretKey": self.settings.secret_key.get_secret_value(),
            "refreshToken": pair.refresh_token,
            "userId": self.settings.user_id,
        }
        return httpx.Request("POST", self.settings.oauth_base_url + REFRESH_PATH, json=body)

    def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair:
        return parse_token_reply(
            response,
            previous,
            BAIDU_OAUTH_CODES,
            access_key="accessToken",
            refresh_key="refreshToken",
            expires_key="expiresIn",
        )


class BaiduConnector(HttpSourceConnector[BaiduSettings]):
    name = "baidu"
    settings_class = BaiduSettings
    stream_list = STREAMS
    token_auth_class = JsonHeaderTokenAuth

    def refresher(self) -> TokenRefresher:
        return BaiduRefresher(self.settings)

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        body = {
            "startDate": start.strftime(TIME_FORMAT),
            "endDate": end.strftime(TIME_FORMAT),
            "solutionType": self.settings.solution_type,
        }
        return PageRequest(stream.path, json={"header": {"userName": account}, "body": body})

    def classify(self, body: Any) -> ConnectorError | None:
        header = body.get("header") if isinstance(body, dict) else None
        if not isinstance(header, dict) or "status" not in header:
            return RetriableError("baidu: reply without a header status", connector=self.name)
        status = header["status"]
        failures = [f for f in header.get("failures") or [] if isinstance(f, dict)]
        if status == 0:
            return None
        if status == 2:  # partial success: keep the data, say what failed
            codes = [f.get("code") for f in failures]
            logger.warning("baidu: partial success, failures %s", codes)
            return None
        if not failures:
            return FatalError(f"baidu: status {status} without failures", connector=self.name)
        first = failures[0]
        return BAIDU_CODES.error(first.get("code", -1), str(first.get("message", "")))
