"""Ocean Engine source connector: leads per advertiser, token in the ``Access-Token`` header."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx

from connectors.auth import HeaderTokenAuth, TokenRefresher, parse_token_reply
from connectors.base import TokenPair
from connectors.errors import ConnectorError, FatalError, RetriableError
from connectors.ocean_engine.errors import OCEAN_ENGINE_CODES
from connectors.ocean_engine.settings import OceanEngineSettings
from connectors.ocean_engine.streams import STREAMS
from connectors.pagination import PageRequest
from connectors.streams import HttpSourceConnector, Stream

__all__ = ["REFRESH_PATH", "OceanEngineConnector", "OceanEngineRefresher"]

REFRESH_PATH = "/open_api/oauth2/refresh_token/"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class OceanEngineRefresher:
    """``POST /open_api/oauth2/refresh_token/``; the reply carries a new access **and** refresh token."""

    def __init__(self, settings: OceanEngineSettings) -> None:
        self.settings = settings

    def request(self, pair: TokenPair) -> httpx.Request:
        if not self.settings.app_id or self.settings.app_secret is None:
            missing = " and ".join(self.settings.unset("app_id", "app_secret"))
            raise FatalError(
                f"ocean_engine: set {missing} to refresh tokens",
                connector="ocean_engine",
            )
        # The SDK types app_id as int64 (Oauth2RefreshTokenRequest); grant_type is not in the SDK
        # model but the community SDK sends it and the API accepts it.
        app_id: int | str = (
            int(self.settings.app_id) if self.settings.app_id.isdigit() else self.settings.app_id
        )
        body = {
            "app_id": app_id,
            "secret": self.settings.app_secret.get_secret_value(),
            "grant_type": "refresh_token",
            "refresh_token": pair.refresh_token,
        }
        return httpx.Request("POST", self.settings.base_url + REFRESH_PATH, json=body)

    def parse(self, response: httpx.Response, previous: TokenPair) -> TokenPair:
        return parse_token_reply(response, previous, OCEAN_ENGINE_CODES)


class OceanEngineConnector(HttpSourceConnector[OceanEngineSettings]):
    name = "ocean_engine"
    settings_class = OceanEngineSettings
    stream_list = STREAMS
    token_auth_class = HeaderTokenAuth

    def refresher(self) -> TokenRefresher:
        return OceanEngineRefresher(self.settings)

    def window_request(self, stream: Stream, account: str, start: datetime, end: datetime) -> PageRequest:
        # SDK: advertiser_ids is []int64, sent as its JSON text (api/client.go parameterAddToHeaderOrQuery).
        params = {
            "advertiser_ids": json.dumps([int(account)], separators=(",", ":")),
            "start_time": start.strftime(TIME_FORMAT),
            "end_time": end.strftime(TIME_FORMAT),
        }
        return PageRequest(stream.path, params=params)

    def classify(self, body: Any) -> ConnectorError | None:
        code = body.get("code") if isinstance(body, dict) else None
        if code is None:
            return RetriableError("ocean_engine: reply without a code", connector=self.name)
        if code == 0:
            return None
        return OCEAN_ENGINE_CODES.error(code, str(body.get("message", "")))
