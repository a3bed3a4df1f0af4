"""Secrets from Prefect Secret blocks, read at run time: opt-in with ``SYNCHUB_SECRETS_FROM_PREFECT=1``.

A worker machine then holds no secret of its own: each secret field of a settings class (a ``SecretStr``,
or a mapping of them) is looked up as the Secret block named after its variable, lower case with
dashes: ``SYNCHUB_YONYOU_APP_SECRET`` -> block ``synchub-yonyou-app-secret`` (a JSON block for mappings
such as ``SYNCHUB_WEBFORM_SECRETS``). An environment variable still wins over a block. Blocks are read
when a settings object is made, inside the flow run, so ``prefect deploy`` never sees a value and
never stores one in a deployment. Each process reads a block once.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from core.config_file import ConfigFileSource
from core.errors import ConfigError

__all__ = ["OPT_IN", "PrefectSecretBlocks", "SynchubSettings", "block_name"]

OPT_IN = "SYNCHUB_SECRETS_FROM_PREFECT"


def block_name(variable: str) -> str:
    return variable.lower().replace("_", "-")


def _opted_in() -> bool:
    return os.environ.get(OPT_IN, "").strip().lower() in {"1", "true", "yes", "on"}


@lru_cache(maxsize=256)
def _read_block(name: str) -> Any:
    """The block's value, or None when there is no such block."""
    from prefect.blocks.system import Secret

    try:
        block: Any = Secret.load(name)  # synchronous here (Prefect dispatches on the calling context)
    except ValueError:  # Prefect: no block document of that name
        return None
    except Exception as exc:  # the server cannot be reached: say which setting could not be read
        raise ConfigError(f"{OPT_IN} is on but Secret block {name!r} cannot be read: {exc}") from None
    return block.get()


class PrefectSecretBlocks(PydanticBaseSettingsSource):
    """The settings source that reads secret fields from Prefect Secret blocks (see the module)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        prefix = str(self.settings_cls.model_config.get("env_prefix", ""))
        name = block_name(f"{prefix}{field_name}")
        return _read_block(name), name, False

    def __call__(self) -> dict[str, Any]:
        if not _opted_in():
            return {}
        found: dict[str, Any] = {}
        for field_name, field in self.settings_cls.model_fields.items():
            if "SecretStr" not in str(field.annotation):
                continue
            value, _, _ = self.get_field_value(field, field_name)
            if value is not None:
                found[field_name] = value
        return found


class SynchubSettings(BaseSettings):
    """Base of SyncHub's settings classes: init arguments, then the environment, then (opt-in) Prefect
    Secret blocks, then the class's table of ``synchub.toml`` (:mod:`core.config_file`), then defaults;
    no ``.env`` file and no secrets directory."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            PrefectSecretBlocks(settings_cls),
            ConfigFileSource(settings_cls),
        )
