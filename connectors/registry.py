"""Source connectors by name. A new source adds one line to ``_SOURCES`` (and one to the contract
suite); its folder must have the standard shape (README.md, settings.py, payloads.py, streams.py,
connector.py), which ``tests/connectors/test_contract.py`` checks by walking this registry.

Connector modules are imported on first use, so importing the registry stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx

from connectors.base import SourceConnector, TokenStore
from connectors.settings import ConnectorSettings
from connectors.streams import HttpSourceConnector
from core.errors import ConfigError

__all__ = [
    "get_source_connector",
    "source_connector_class",
    "source_connector_names",
    "source_settings_class",
]

_SOURCES: dict[str, str] = {
    "ocean_engine": "connectors.ocean_engine.connector:OceanEngineConnector",
    "tencent_ads": "connectors.tencent_ads.connector:TencentAdsConnector",
    "baidu": "connectors.baidu.connector:BaiduConnector",
}


def source_connector_names() -> list[str]:
    """Names of every registered source connector, in registration order."""
    return list(_SOURCES)


def source_connector_class(name: str) -> type[HttpSourceConnector[Any]]:
    """The connector class registered under ``name``; ConfigError names the known ones."""
    try:
        target = _SOURCES[name]
    except KeyError:
        raise ConfigError(
            f"unknown source connector {name!r}; known: {', '.join(source_connector_names())}"
        ) from None
    module_name, _, attribute = target.partition(":")
    cls: type[HttpSourceConnector[Any]] = getattr(importlib.import_module(module_name), attribute)
    return cls


def source_settings_class(name: str) -> type[ConnectorSettings]:
    """The settings class of the connector registered under ``name``."""
    return source_connector_class(name).settings_class


def get_source_connector(
    name: str,
    token_store: TokenStore | None = None,
    settings: ConnectorSettings | None = None,
    transport: httpx.BaseTransport | None = None,
) -> SourceConnector:
    """A ready connector: settings from the environment unless given, tokens from ``token_store``
    (an in-memory store if None), and the default HTTP transport unless one is given (tests)."""
    cls = source_connector_class(name)
    if settings is not None and not isinstance(settings, cls.settings_class):
        raise ConfigError(
            f"{name}: settings must be {cls.settings_class.__name__}, not {type(settings).__name__}"
        )
    connector: SourceConnector = cls(settings=settings, token_store=token_store, transport=transport)
    return connector
