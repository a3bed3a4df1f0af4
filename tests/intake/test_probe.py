"""Day-one probes against the sandbox: `synchub source check` and `synchub erp check` say in plain words
whether the configured credentials work, show one record masked, land nothing, and exit 1 on failure."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from connectors.sandbox.env import sandbox_env
from core.models import Lead, RawRecord
from core.settings import get_settings
from hub.cli.main import app

FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=7, leads_per_account=6)) as server:
        yield server


@pytest.fixture
def pointed(sandbox: RunningSandbox, store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in sandbox_env(sandbox.base_url, retry_initial_wait=0.01).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("source", ["ocean_engine", "tencent_ads", "baidu"])
def test_a_source_that_answers_shows_each_account_and_lands_nothing(
    pointed: None, store: Engine, source: str
) -> None:
    code, out = run("source", "check", source, "--days", "90")
    assert code == 0, out
    assert "answers" in out and out.count(" ok ") >= 2  # every configured account
    assert "first: {" in out and not FULL_MOBILE.search(out)
    with store.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RawRecord)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(Lead)).scalar_one() == 0


def test_refused_credentials_fail_in_plain_words(pointed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCHUB_BAIDU_ACCESS_TOKEN", "not-a-token")
    monkeypatch.setenv("SYNCHUB_BAIDU_REFRESH_TOKEN", "not-a-token-either")
    code, out = run("source", "check", "baidu")
    assert code == 1 and "failed" in out and "re-authorise" in out and "does not answer" in out


def test_an_erp_that_answers_and_one_that_is_not_configured(
    pointed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run("erp", "check", "kingdee")
    assert code == 0 and "answers" in out, out
    code, out = run("erp", "check", "yonyou", "--json")
    assert code == 0 and '"ok": true' in out, out
    monkeypatch.delenv("SYNCHUB_KINGDEE_APP_SECRET")
    code, out = run("erp", "check", "kingdee")
    assert code == 1 and "SYNCHUB_KINGDEE_APP_SECRET" in out
