"""Connector settings: one class per connector, its env prefix, secrets hidden, every field described."""

from __future__ import annotations

import pytest

from connectors.baidu import BaiduSettings
from connectors.ocean_engine import OceanEngineSettings
from connectors.registry import source_connector_names, source_settings_class
from connectors.settings import ConnectorSettings
from connectors.tencent_ads import TencentAdsSettings

REAL_HOSTS = {"ocean_engine": "https://ad.oceanengine.com", "tencent_ads": "https://api.e.qq.com",
              "baidu": "https://api.baidu.com"}  # fmt: skip


@pytest.mark.parametrize("name", source_connector_names())
def test_every_field_has_a_description_and_base_url_defaults_to_the_vendor(name: str) -> None:
    cls = source_settings_class(name)
    assert issubclass(cls, ConnectorSettings)
    undocumented = [field for field, info in cls.model_fields.items() if not info.description]
    assert undocumented == []
    assert cls().base_url == REAL_HOSTS[name]


def test_env_prefix_per_connector_and_lists_as_csv_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_OCEAN_ENGINE_ADVERTISER_IDS", "111, 222")
    monkeypatch.setenv("SYNCHUB_OCEAN_ENGINE_BASE_URL", "http://127.0.0.1:8765/")
    monkeypatch.setenv("SYNCHUB_TENCENT_ADS_ACCOUNT_IDS", "[333, 444]")
    monkeypatch.setenv("SYNCHUB_BAIDU_USER_NAMES", "张三-sem")
    monkeypatch.setenv("SYNCHUB_BAIDU_RETRY_MAX_ATTEMPTS", "2")
    assert OceanEngineSettings().account_list() == ["111", "222"]
    assert OceanEngineSettings().base_url == "http://127.0.0.1:8765"
    assert TencentAdsSettings().account_list() == ["333", "444"]
    assert BaiduSettings().account_list() == ["张三-sem"]
    assert BaiduSettings().retry_max_attempts == 2
    assert OceanEngineSettings().retry_max_attempts == 5, "one connector's env does not leak into another"


def test_init_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_TENCENT_ADS_PAGE_SIZE", "50")
    assert TencentAdsSettings().page_size == 50
    assert TencentAdsSettings(page_size=20).page_size == 20


def test_credentials_are_secret_strings_that_do_not_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_OCEAN_ENGINE_APP_SECRET", "app-secret-value-1")
    settings = OceanEngineSettings(access_token="access-value-2")
    assert settings.app_secret is not None and settings.app_secret.get_secret_value() == "app-secret-value-1"
    shown = repr(settings) + str(settings.model_dump())
    assert "app-secret-value-1" not in shown and "access-value-2" not in shown


def test_page_size_is_bounded_by_the_vendor_limit() -> None:
    with pytest.raises(ValueError):
        OceanEngineSettings(page_size=101)
