"""``synchub.toml``: the settings file every settings class reads, below the environment.

The file is ``synchub.toml`` in the working directory, or the one named by ``SYNCHUB_CONFIG``. Each
settings class reads one table of it, named after its environment prefix without ``SYNCHUB_`` and
lower case: ``SYNCHUB_KINGDEE_`` -> ``[kingdee]``, ``SYNCHUB_CONTRACT_API_`` -> ``[contract_api]``;
the hub's own settings (prefix ``SYNCHUB_``) are the top-level keys. Keys are the field names, lower
case (``base_url``, not ``SYNCHUB_KINGDEE_BASE_URL``), with TOML types: lists and tables as they are,
so no JSON in strings. A table that is missing, or a missing file, gives nothing.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, InitSettingsSource

from core.errors import ConfigError

__all__ = ["CONFIG_ENV", "ConfigFileSource", "config_path", "config_table", "read_config", "table_name"]

CONFIG_ENV = "SYNCHUB_CONFIG"
PREFIX = "SYNCHUB_"


def config_path() -> Path:
    """The settings file in force (it may not exist)."""
    return Path(os.environ.get(CONFIG_ENV) or "synchub.toml")


def table_name(env_prefix: str) -> str:
    """``SYNCHUB_KINGDEE_`` -> ``kingdee``; ``SYNCHUB_`` -> ``""`` (the top level)."""
    return env_prefix.upper().removeprefix(PREFIX).strip("_").lower()


def read_config(path: Path) -> dict[str, Any]:
    """The whole file; empty when there is none."""
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def config_table(settings_cls: type[BaseSettings], path: Path | None = None) -> dict[str, Any]:
    """The keys of ``settings_cls``'s table; at the top level, the tables of other classes left out."""
    data = read_config(path or config_path())
    name = table_name(str(settings_cls.model_config.get("env_prefix", "")))
    if not name:
        fields = settings_cls.model_fields
        return {k: v for k, v in data.items() if not isinstance(v, dict) or k in fields}
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path or config_path()}: [{name}] must be a table, not {type(table).__name__}")
    return table


class ConfigFileSource(InitSettingsSource):
    """The settings source of ``settings_cls``'s table of the settings file (see the module)."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path | None = None) -> None:
        self.path = path or config_path()
        super().__init__(settings_cls, config_table(settings_cls, self.path))

    def __repr__(self) -> str:
        return f"ConfigFileSource(path={self.path})"
