"""The environment that points every connector at a running sandbox, the way an operator points them at
the real vendors: ``synchub sandbox env`` prints it as ``export`` lines; tests set it with monkeypatch.

Every outside system the flows reach is covered: the three ad platforms (with the sandbox's initial
tokens), Amap, Kingdee, Yonyou (U8, or YonBIP with ``edition="bip"``), DingTalk and WeCom robots for the
default territories' teams and for ops and finance, and Alibaba Cloud SMS. With it, every scheduled flow
of ``synchub serve`` can run to Completed against the sandbox.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings

from connectors.kingdee import KingdeeSettings
from connectors.registry import source_connector_names
from connectors.sandbox.erp_state import ERP_CREDENTIALS
from connectors.sandbox.notify_settings import sandbox_notify_settings
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS
from connectors.sandbox.profiles import sandbox_settings
from connectors.yonyou import YonyouSettings

__all__ = ["ROBOTS", "export_lines", "sandbox_env", "settings_env"]

# the default territories' team robots, and the robots ops and finance alerts go to
ROBOTS = ("east", "north", "ortho", "ops", "finance")


def settings_env(settings: BaseSettings) -> dict[str, str]:
    """``SYNCHUB_<CONNECTOR>_<FIELD>`` for every field given a value (not left at its default), secrets
    revealed."""
    prefix = str(settings.model_config.get("env_prefix", ""))
    return {
        f"{prefix}{name}".upper(): _text(getattr(settings, name))
        for name in sorted(settings.model_fields_set)
        if getattr(settings, name) is not None
    }


def sandbox_env(
    base_url: str, *, robots: Iterable[str] = ROBOTS, yonyou_edition: str = "u8", **overrides: Any
) -> dict[str, str]:
    """Every ``SYNCHUB_*`` variable that points the connectors at the sandbox at ``base_url``;
    ``overrides`` go to every connector's settings (``retry_initial_wait=0.01`` in tests)."""
    env: dict[str, str] = {}
    for name in source_connector_names():
        env.update(settings_env(sandbox_settings(name, base_url, **overrides)))
    for settings in sandbox_notify_settings(base_url, robots, **overrides):
        env.update(settings_env(settings))
    amap = NOTIFY_CREDENTIALS["amap"]
    env.update(
        {
            "SYNCHUB_AMAP_BASE_URL": base_url,
            "SYNCHUB_AMAP_KEY": amap["key"],
            "SYNCHUB_AMAP_PRIVATE_KEY": amap["private_key"],
        }
    )
    kingdee = KingdeeSettings(base_url=base_url + "/k3cloud", **ERP_CREDENTIALS["kingdee"], **overrides)
    yonyou = YonyouSettings(
        base_url=base_url, edition=yonyou_edition, ds_sequence="1", **ERP_CREDENTIALS["yonyou"], **overrides
    )
    env.update(settings_env(kingdee))
    env.update(settings_env(yonyou))
    names = set(robots)
    if "ops" in names:
        env["SYNCHUB_OPS_ROBOT"] = "ops"
    return env


def export_lines(env: dict[str, str]) -> list[str]:
    """``export NAME='value'`` lines, quoted for a POSIX shell."""
    return [f"export {name}={shlex.quote(value)}" for name, value in sorted(env.items())]


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
