"""Settings precedence is pinned: init arguments > environment > synchub.toml > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

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
