"""Tencent Ads source connector: lead clues per account; token, timestamp and nonce in the query."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx

from connectors.auth import QueryTokenAuth, TokenRefresher, parse_token_reply
from connectors.base import TokenPair
from connectors.errors import ConnectorError, FatalError, RetriableError
from connectors.pagination import PageRequest
from connectors.streams import HttpSourceConnector, Stream
from connectors.tencent_ads.errors import TENCENT_ADS_CODES
from connectors.tencent_ads.settings import TencentAdsSettings
from connectors.tencent_ads.streams import STREAMS

__all__ = ["TOKEN_PATH", "TencentAdsConnector", "TencentAdsRefresher"]

TOKEN_PATH = "/oauth/token"


class TencentAdsRefresher:
    """``GET /oauth/token?grant_type=refresh_token``: a new access token; the refresh token is kept
    unless the reply carries a new one."""

    def __init__(self, settings: TencentAdsSettings) -> None:
        self.settings = settings

    def request(self, pair: TokenPair) -> httpx.Request:
        if not self.settings.client_id or self.settings.client_secret is None:
            missing = " and ".join(self.settings.unset("client_id", "client_secret"))
            raise FatalError(
                f"tencent_ads: set {missing} to refresh tokens",
                connector="tencent_ads",
            )
        params = {
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret.get_secret_value(),
            "grant_type": "refresh_token",
            "refresh_token": pair.refresh_token or "",
        }
        return httpx.Request("GET", self.settings.base_url + TOKEN_PATH, params=params)

    def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair:
        return parse_token_reply(response, previous, TENCENT_ADS_CODES, expires_key="access_token_expires_in")


class TencentAdsConnector(HttpSourceConnector[TencentAdsSettings]):
    name = "tencent_ads"
    settings_class = TencentAdsSettings
    stream_list = STREAMS
    token_auth_class = QueryTokenAuth

    def refresher(self) -> TokenRefresher:
        return TencentAdsRefresher(self.settings)

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        time_range = {"start_time": int(start.timestamp()), "end_time": int(end.timestamp())}
        params = {"account_id": int(account), "time_range": json.dumps(time_range)}
        return PageRequest(stream.path, params=params)

    def classify(self, body: Any) -> ConnectorError | None:
        code = body.get("code") if isinstance(body, dict) else None
        if code is None:
            return RetriableError("tencent_ads: reply without a code", connector=self.name)
        if code == 0:
            return None
        return TENCENT_ADS_CODES.error(code, str(body.get("message_cn") or body.get("message") or ""))
