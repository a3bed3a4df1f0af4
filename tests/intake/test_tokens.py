"""OAuth tokens are encrypted at rest: what the table holds opens only with the token key, and a
missing or different key is an error that says what to set."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.engine import Engine

from connectors.base import TokenPair
from core.errors import ConfigError
from core.models import OAuthToken
from core.settings import get_settings
from services.intake.tokens import DatabaseTokenStore
from store.engine import session_scope

PAIR = TokenPair("oc-access-secret-1", "oc-refresh-secret-1", datetime(2026, 12, 8, tzinfo=UTC))


def stored(store: Engine) -> tuple[str, str | None]:
    with session_scope(store) as s:
        row = s.scalars(select(OAuthToken)).one()
        return row.access_token, row.refresh_token


def test_tokens_are_sealed_in_the_table_and_open_with_the_key(store: Engine) -> None:
    tokens = DatabaseTokenStore(store)
    tokens.save("ocean_engine", "1760000000000001", PAIR)
    access, refresh = stored(store)
    assert access.startswith("fernet:") and refresh is not None and refresh.startswith("fernet:")
    assert "secret" not in access + refresh
    assert tokens.load("ocean_engine", "1760000000000001") == PAIR


def test_a_token_written_before_encryption_is_read_then_sealed_at_its_next_save(store: Engine) -> None:
    with session_scope(store) as s:
        s.add(
            OAuthToken(connector="baidu", account="a", access_token="plain-access", refresh_token="plain-r")
        )
    tokens = DatabaseTokenStore(store)
    pair = tokens.load("baidu", "a")
    assert pair is not None and (pair.access_token, pair.refresh_token) == ("plain-access", "plain-r")
    tokens.save("baidu", "a", pair)
    assert stored(store)[0].startswith("fernet:")


def test_without_a_key_or_with_another_one_the_error_names_what_to_set(
    store: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    tokens = DatabaseTokenStore(store)
    tokens.save("tencent_ads", "20458001", PAIR)
    monkeypatch.delenv("SYNCHUB_TOKEN_KEY")
    monkeypatch.setenv("SYNCHUB_TOKEN_KEY_FILE", str(tmp_path / "no.key"))  # not a ./var left by a demo
    get_settings.cache_clear()
    assert tokens.load("tencent_ads", "other") is None  # nothing stored: no key needed
    with pytest.raises(ConfigError, match=r"SYNCHUB_TOKEN_KEY.*synchub tokens keygen"):
        tokens.load("tencent_ads", "20458001")
    monkeypatch.setenv("SYNCHUB_TOKEN_KEY", Fernet.generate_key().decode())
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="sealed with another one"):
        tokens.load("tencent_ads", "20458001")
    assert stored(store)[0].startswith("fernet:")  # the failed reads changed nothing
