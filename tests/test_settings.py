"""Settings precedence is pinned: init arguments > environment > synchub.toml > defaults, for every
settings class (each reads its own table of the file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from core.settings import DEFAULT_SQLITE_URL, HubSettings


def test_defaults(tmp_path: Path) -> None:
    settings = HubSettings()
    assert settings.database_url == DEFAULT_SQLITE_URL
    assert settings.default_actor == "system"


def test_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "synchub.toml"
    toml.write_text('database_url = "sqlite:///from-toml.db"\ndefault_actor = "toml-actor"\n')
    assert HubSettings().database_url == "sqlite:///from-toml.db"
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", "sqlite:///from-env.db")
    assert HubSettings().database_url == "sqlite:///from-env.db"
    assert HubSettings().default_actor == "toml-actor"
    assert HubSettings(database_url="sqlite:///init.db").database_url == "sqlite:///init.db"


def test_secret_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_AUDIT_SIGNING_KEY", "c2VjcmV0")
    settings = HubSettings()
    assert "c2VjcmV0" not in repr(settings) and "c2VjcmV0" not in str(settings.model_dump())


def test_the_consoles_prefect_links_follow_the_server_serve_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from hub.web.settings import WebSettings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    assert WebSettings().prefect_ui() == "http://127.0.0.1:4200"
    monkeypatch.setenv("PREFECT_API_URL", "http://prefect.internal:4200/api")
    assert WebSettings().prefect_ui() == "http://prefect.internal:4200"
    state = tmp_path / "var" / "prefect" / "synchub-server.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"api_url": "http://127.0.0.1:4377/api"}), encoding="utf-8")
    assert WebSettings().prefect_ui() == "http://127.0.0.1:4377"
    assert WebSettings(prefect_ui_url="https://flows.example.com").prefect_ui() == "https://flows.example.com"


def _plain_field(cls: type[BaseSettings]) -> tuple[str, object, object]:
    """A field of ``cls`` taking an int (else a str), with a file value and an environment value (ints
    below a default of 3 or more, which the fields' lower bounds allow)."""
    for wanted in (int, str):
        for name, field in cls.model_fields.items():
            if field.annotation is wanted and isinstance(field.default, wanted):
                if wanted is int and field.default >= 3:
                    return name, field.default - 1, field.default - 2
                if wanted is str:
                    return name, "from-file", "from-env"
    raise AssertionError(f"{cls.__name__} has no plain field")


def test_every_settings_class_reads_its_table_below_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every class (connectors too), one way: its table of synchub.toml, then the environment over it."""
    import os

    from core.config_file import table_name
    from hub.cli.config import settings_classes

    classes = settings_classes()
    assert len(classes) >= 17
    lines: list[str] = []
    picked = {cls: _plain_field(cls) for cls in classes}
    for cls, (name, in_file, _) in sorted(picked.items(), key=lambda item: item[0] is not HubSettings):
        table = table_name(str(cls.model_config.get("env_prefix", "")))
        lines += [f"[{table}]" if table else "", f"{name} = {in_file!r}".replace("'", '"')]
    Path(os.environ["SYNCHUB_CONFIG"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    for cls, (name, in_file, in_env) in picked.items():
        assert getattr(cls(), name) == in_file, cls
        monkeypatch.setenv(f"{cls.model_config.get('env_prefix', '')}{name}".upper(), str(in_env))
        assert getattr(cls(), name) == in_env, cls
