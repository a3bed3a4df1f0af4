"""Environment variables that point every connector's settings at a running sandbox, the way an
operator points them at the real vendors: flows build their clients from settings alone."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings


def _text(value: Any) -> str:
    plain = _plain(value)
    return json.dumps(plain) if isinstance(plain, dict | list) else str(plain)


def _plain(value: Any) -> Any:
    """Secrets revealed, nested models and collections as JSON-ready values."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, BaseModel):
        return {k: _plain(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def settings_env(settings: BaseSettings) -> dict[str, str]:
    """``SYNCHUB_<CONNECTOR>_<FIELD>`` for every field that has a value."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    return {
        f"{prefix}{name}".upper(): _text(getattr(settings, name))
        for name in type(settings).model_fields
        if getattr(settings, name) is not None
    }
