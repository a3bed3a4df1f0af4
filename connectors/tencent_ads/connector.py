"""Tencent Ads source connector: leads per account; token, timestamp and nonce in the query.

v3.0 ``GET /v3.0/leads_list/get`` sends every parameter in the query (``time_range`` as JSON text,
``time_type`` inside it); v1.3 ``POST /v1.3/lead_clues/get`` sends them as a JSON body. Both answer
``data.leads_info``, documented as an object in v3.0 and an array in v1.3: either is read.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx

from connectors.auth import QueryTokenAuth, TokenRefresher, parse_token_reply
from connectors.base import TokenPair
from connectors.errors import ConnectorError, FatalError, RetriableError
from connectors.pagination import PageRequest, dig
from connectors.streams import HttpSourceConnector, Stream
from connectors.tencent_ads.errors import TENCENT_ADS_CODES
from connectors.tencent_ads.settings import TencentAdsSettings
from connectors.tencent_ads.streams import LEADS_V13, STREAMS, TIME_FIELDS

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

    def stream(self, name: str) -> Stream:
        spec = super().stream(name)
        if self.settings.api_version == "v1.3":
            spec = replace(LEADS_V13, name=spec.name)
        return replace(spec, cursor_field=TIME_FIELDS[self.settings.time_type])

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        time_range: dict[str, Any] = {"start_time": int(start.timestamp()), "end_time": int(end.timestamp())}
        if self.settings.api_version == "v1.3":
            if self.settings.time_type != "TIME_TYPE_ACTION_TIME":  # v1.3 defaults to the action time
                time_range["time_type"] = self.settings.time_type
            return PageRequest(stream.path, json={"account_id": int(account), "time_range": time_range})
        time_range["time_type"] = self.settings.time_type
        params = {"account_id": int(account), "time_range": json.dumps(time_range, separators=(",", ":"))}
        return PageRequest(stream.path, params=params)

    def parse_records(self, stream: Stream, body: Any) -> list[dict[str, Any]]:
        found = dig(body, stream.records_path)
        if isinstance(found, dict):
            return [found] if found else []
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    def classify(self, body: Any) -> ConnectorError | None:
        code = body.get("code") if isinstance(body, dict) else None
        if code is None:
            return RetriableError("tencent_ads: reply without a code", connector=self.name)
        if code == 0:
            return None
        return TENCENT_ADS_CODES.error(code, str(body.get("message_cn") or body.get("message") or ""))
