"""The source connector registry."""

from __future__ import annotations

import httpx
import pytest

from connectors.base import CursorState, MemoryTokenStore, SourceConnector
from connectors.ocean_engine import OceanEngineConnector, OceanEngineSettings
from connectors.registry import get_source_connector, source_connector_names
from connectors.tencent_ads import TencentAdsSettings
from core.errors import ConfigError

from .support import END


def test_names() -> None:
    assert source_connector_names() == ["ocean_engine", "tencent_ads", "baidu"]


@pytest.mark.parametrize("name", ["ocean_engine", "tencent_ads", "baidu"])
def test_every_connector_implements_the_source_interface(name: str) -> None:
    connector = get_source_connector(name)
    assert isinstance(connector, SourceConnector)
    assert connector.name == name
    assert connector.streams() == ["leads"]
    assert connector.accounts() == []  # none configured in a clean environment


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(
        ConfigError, match=r"unknown source connector 'meta'.*ocean_engine, tencent_ads, baidu"
    ):
        get_source_connector("meta")


def test_settings_of_another_connector_are_refused() -> None:
    with pytest.raises(ConfigError, match="OceanEngineSettings"):
        get_source_connector("ocean_engine", settings=TencentAdsSettings())


def test_settings_token_store_and_transport_are_used() -> None:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json={"code": 0, "data": {"list": [], "page_info": {"total_page": 0}}})

    store = MemoryTokenStore()
    settings = OceanEngineSettings(base_url="https://oe.test", advertiser_ids=["9"], access_token="tok-1",
                                   start_date="2026-11-01T00:00:00+08:00")  # fmt: skip
    connector = get_source_connector("ocean_engine", store, settings, httpx.MockTransport(handler))
    assert isinstance(connector, OceanEngineConnector) and connector.token_store is store
    pages = list(connector.read("leads", "9", CursorState(), END))
    assert (
        pages[-1].records == [] and urls and urls[0].startswith("https://oe.test/open_api/2/tools/clue/get/")
    )


def test_an_unconfigured_account_is_refused() -> None:
    connector = get_source_connector("ocean_engine", settings=OceanEngineSettings(advertiser_ids=["1"]))
    with pytest.raises(Exception, match="account '2' is not configured"):
        list(connector.read("leads", "2", CursorState()))
