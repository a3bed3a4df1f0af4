"""``synchub config show`` and the settings file every settings class reads: a value from the file shows
as from the file, the environment beats the file, secrets never show, a connector's table reaches the
connector, and no settings class is left out of the listing."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic_settings import BaseSettings
from typer.testing import CliRunner

from hub.cli.config import PACKAGES, config_app, settings_classes

SECRET = "kd-app-secret-7f3a9c"
DB_PASSWORD = "pg-pass-91b2"
ROBOT_KEY = "wecom-robot-key-55e1"
PREFECT_SECRET = "from-a-prefect-block-2c4d"


def _write(tmp_path: Path, text: str) -> Path:
    path = Path(os.environ["SYNCHUB_CONFIG"])  # the test's own file (tests/conftest.py)
    path.write_text(text, encoding="utf-8")
    return path


CONFIG = f"""
database_url = "postgresql+psycopg://hub:{DB_PASSWORD}@db.internal/hub"
default_actor = "from-file"

[kingdee]
base_url = "https://k3.example.com/k3cloud"
acct_id = "from-file"
app_secret = "{SECRET}"
query_limit = 500

[wecom]
robots = {{ east = "{ROBOT_KEY}" }}

[routing]
console_url = "https://console.example.com"
"""


def _show(*args: str) -> tuple[int, str, str]:
    app = typer.Typer()
    app.add_typer(config_app, name="config")
    result = CliRunner().invoke(app, ["config", "show", *args])
    return result.exit_code, result.stdout, result.stderr


def _rows(stdout: str) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in json.loads(stdout)["settings"]}


def test_a_connector_table_reaches_the_connectors_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from connectors.kingdee import KingdeeSettings
    from connectors.wecom.settings import WeComSettings
    from core.settings import HubSettings
    from services.routing.config import RoutingSettings

    _write(tmp_path, CONFIG)
    kingdee = KingdeeSettings()
    assert kingdee.base_url == "https://k3.example.com/k3cloud" and kingdee.query_limit == 500
    assert kingdee.app_secret is not None and kingdee.app_secret.get_secret_value() == SECRET
    assert WeComSettings().robots["east"].get_secret_value() == ROBOT_KEY  # a TOML table, no JSON text
    assert RoutingSettings().console_url == "https://console.example.com"
    assert HubSettings().default_actor == "from-file"
    monkeypatch.setenv("SYNCHUB_KINGDEE_ACCT_ID", "from-env")
    assert KingdeeSettings().acct_id == "from-env"  # environment over file
    assert KingdeeSettings(acct_id="init").acct_id == "init"
    assert KingdeeSettings(acct_id="init").base_url == "https://k3.example.com/k3cloud"


def test_show_says_where_each_value_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, CONFIG)
    monkeypatch.setenv("SYNCHUB_KINGDEE_ACCT_ID", "from-env")
    code, out, _ = _show("--json")
    assert code == 0, out
    rows = _rows(out)
    assert rows["SYNCHUB_KINGDEE_BASE_URL"] == {
        "name": "SYNCHUB_KINGDEE_BASE_URL",
        "value": "https://k3.example.com/k3cloud",
        "source": "synchub.toml",
        "table": "kingdee",
        "key": "base_url",
        "class": "connectors.kingdee.settings.KingdeeSettings",
    }
    assert rows["SYNCHUB_KINGDEE_ACCT_ID"]["value"] == "from-env"
    assert rows["SYNCHUB_KINGDEE_ACCT_ID"]["source"] == "environment"
    assert rows["SYNCHUB_DEFAULT_ACTOR"]["source"] == "synchub.toml"
    assert rows["SYNCHUB_ROUTING_CONSOLE_URL"]["source"] == "synchub.toml"
    assert rows["SYNCHUB_YONYOU_EDITION"] == {**rows["SYNCHUB_YONYOU_EDITION"], "source": "default"}
    assert rows["SYNCHUB_VAR_DIR"]["source"] == "environment"  # set by tests/conftest.py

    code, text, _ = _show()
    assert code == 0
    line = next(x for x in text.splitlines() if "SYNCHUB_KINGDEE_ACCT_ID" in x)
    assert "from-env" in line and "environment" in line
    line = next(x for x in text.splitlines() if "SYNCHUB_KINGDEE_QUERY_LIMIT" in x)
    assert "500" in line and "synchub.toml" in line


def test_secrets_are_masked_in_text_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, CONFIG)
    monkeypatch.setenv("SYNCHUB_WEB_SECRET", "w" * 40)
    monkeypatch.setenv("SYNCHUB_WEBFORM_SECRETS", json.dumps({"contact-us": "form-secret-3141"}))
    code, out, _ = _show("--json")
    assert code == 0
    rows = _rows(out)
    assert rows["SYNCHUB_KINGDEE_APP_SECRET"]["value"] == "***"
    assert rows["SYNCHUB_WECOM_ROBOTS"]["value"] == {"east": "***"}
    assert rows["SYNCHUB_WEBFORM_SECRETS"]["value"] == {"contact-us": "***"}
    assert rows["SYNCHUB_DATABASE_URL"]["value"] == "postgresql+psycopg://hub:***@db.internal/hub"
    assert rows["SYNCHUB_WEB_SECRET"] == {
        **rows["SYNCHUB_WEB_SECRET"],
        "value": "***",
        "source": "environment",
    }
    code, text, _ = _show()
    for output in (out, text):
        for secret in (SECRET, DB_PASSWORD, ROBOT_KEY, "form-secret-3141", "w" * 40):
            assert secret not in output


def test_a_prefect_block_shows_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core import secret_blocks

    _write(tmp_path, CONFIG)
    monkeypatch.setenv(secret_blocks.OPT_IN, "1")
    blocks = {"synchub-kingdee-app-secret": PREFECT_SECRET}
    monkeypatch.setattr(secret_blocks, "_read_block", blocks.get)
    code, out, _ = _show("--json")
    rows = _rows(out)
    assert code == 0
    assert rows["SYNCHUB_KINGDEE_APP_SECRET"]["source"] == "prefect block"  # a block over the file
    assert rows["SYNCHUB_YONYOU_APP_SECRET"]["source"] == "default"
    assert PREFECT_SECRET not in out


def test_unknown_keys_and_invalid_values_are_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, CONFIG + '\n[kingdee_typo]\nbase_url = "x"\n')
    monkeypatch.setenv("SYNCHUB_WEB_SECRET", "short")
    code, out, err = _show()
    assert code == 1
    assert "[kingdee_typo]" in err and "SYNCHUB_WEB_SECRET" in err
    assert "SYNCHUB_KINGDEE_BASE_URL" in out  # the rest is still shown


def _every_settings_class() -> set[type[BaseSettings]]:
    """Every settings class in the hub's packages, found by importing every module."""
    for top in PACKAGES:
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
    found: set[type[BaseSettings]] = set()
    todo = [BaseSettings]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:
                found.add(sub)
    return {cls for cls in found if not cls.__subclasses__()}  # bases (ConnectorSettings) are not read


def test_every_settings_class_is_shown() -> None:
    every = _every_settings_class()
    assert len(every) >= 17
    assert set(settings_classes()) == every
    code, out, _ = _show("--json")
    assert code == 0
    shown = {row["class"] for row in json.loads(out)["settings"]}
    assert shown == {f"{cls.__module__}.{cls.__name__}" for cls in every}


def test_the_readme_example_is_read_whole() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    Path(os.environ["SYNCHUB_CONFIG"]).write_text(example, encoding="utf-8")
    code, out, _ = _show("--json")
    document = json.loads(out)
    assert code == 0 and document["problems"] == []
    from_file = {row["name"] for row in document["settings"] if row["source"] == "synchub.toml"}
    assert {"SYNCHUB_DATABASE_URL", "SYNCHUB_KINGDEE_ACCT_ID", "SYNCHUB_WEB_TRUSTED_PROXIES"} <= from_file
