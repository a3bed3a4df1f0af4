"""Connector settings that point a registered connector at a running sandbox."""

from __future__ import annotations

from typing import Any

from connectors.registry import source_settings_class
from connectors.sandbox.state import SANDBOX_CREDENTIALS, initial_token
from connectors.settings import ConnectorSettings

__all__ = ["sandbox_settings"]


def sandbox_settings(name: str, base_url: str, **overrides: Any) -> ConnectorSettings:
    """Settings of connector ``name`` with the sandbox's URL, credentials, accounts and initial
    tokens; ``overrides`` win (e.g. ``page_size=7``, ``retry_initial_wait=0.001``)."""
    values: dict[str, Any] = {
        "base_url": base_url,
        **SANDBOX_CREDENTIALS[name],
        "access_token": initial_token(name, "access"),
        "refresh_token": initial_token(name, "refresh"),
        "start_date": "2026-10-01T00:00:00+08:00",
    }
    if name == "baidu":
        values["oauth_base_url"] = base_url
    values.update(overrides)
    return source_settings_class(name)(**values)
