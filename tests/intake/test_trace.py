"""`--trace FILE`: one run's HTTP exchanges with the vendor, for a ticket, with every secret and phone
masked before it reaches the file."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from connectors.sandbox.env import sandbox_env
from connectors.sandbox.erp_state import ERP_CREDENTIALS
from connectors.trace import active_trace
from core.settings import get_settings
from hub.cli.main import app
from tests.finance.conftest import sign

FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=9, leads_per_account=5)) as server:
        yield server


@pytest.fixture
def env(sandbox: RunningSandbox, store_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = sandbox_env(sandbox.base_url, retry_initial_wait=0.01)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    return values


def exchanges(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def secrets_of(env: dict[str, str]) -> list[str]:
    names = ("TOKEN", "SECRET", "PASSWORD", "KEY")
    return [
        v for k, v in env.items() if any(n in k.rsplit("_", 2)[-1] or n in k for n in names) and len(v) > 8
    ]


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_traced_pull_writes_every_exchange_masked(
    env: dict[str, str], store: Engine, tmp_path: Path
) -> None:
    trace = tmp_path / "tickets" / "pull.jsonl"
    result = CliRunner().invoke(app, ["pull", "tencent_ads", "--trace", str(trace)])
    assert result.exit_code == 0, result.output
    lines = exchanges(trace)
    assert len(lines) >= 2 and {line["connector"] for line in lines} == {"tencent_ads"}
    assert all(line["response"]["status"] == 200 for line in lines)  # type: ignore[index]
    text = trace.read_text(encoding="utf-8")
    assert "leads" in text and "***" in text  # bodies are there, secrets masked
    assert not FULL_MOBILE.search(text)
    for secret in secrets_of(env):
        assert secret not in text
    assert stat.S_IMODE(trace.stat().st_mode) == 0o600
    assert active_trace() is None  # only that run


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_traced_push_keeps_the_erp_credentials_out(
    env: dict[str, str], store: Engine, tmp_path: Path
) -> None:
    sign(store, "HT-TRACE-1")
    trace = tmp_path / "push.jsonl"
    result = CliRunner().invoke(app, ["contract", "push", "--trace", str(trace)])
    assert result.exit_code == 0 and "created 2" in result.output, result.output
    lines = exchanges(trace)
    assert any("Save" in str(line["request"]) for line in lines)
    text = trace.read_text(encoding="utf-8")
    for secret in (
        *secrets_of(env),
        *(v for k, v in ERP_CREDENTIALS["kingdee"].items() if "secret" in k or k == "password"),
    ):
        assert secret not in text
