"""`synchub audit ...` as an operator or auditor uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from audit.context import audit_context
from core.models import Customer
from core.settings import get_settings
from hub.cli.main import app
from store.engine import session_scope
from tests.ledger_tamper import tamper

runner = CliRunner()


@pytest.fixture
def cli_env(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    with audit_context(actor="user:li", reason="new customer from trade show"), session_scope(store) as s:
        s.add(Customer(name="杭州智联医疗器械有限公司", phone="+8613812345678", owner="li"))
    with audit_context(actor="user:zhang", reason="territory moved"), session_scope(store) as s:
        customer = s.get(Customer, 1)
        assert customer is not None
        customer.owner = "zhang"
    return store


def test_verify_exits_0_with_the_count_when_intact(cli_env: Engine) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "ledger intact: 2 entries" in result.output


def test_verify_exits_1_naming_the_first_bad_seq(cli_env: Engine) -> None:
    tamper(cli_env, lambda c: c.execute(text("UPDATE audit_log SET reason = 'nothing' WHERE seq = 2")))
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["ok"] is False and report["problem"].startswith("seq 2:")


def test_log_shows_history_newest_first_with_masked_phone(cli_env: Engine, wide_console: None) -> None:
    result = runner.invoke(app, ["audit", "log", "--entity", "customer:1"])
    assert result.exit_code == 0, result.output
    assert result.output.index("user:zhang") < result.output.index("user:li")
    assert "'li' -> 'zhang'" in result.output and "territory moved" in result.output
    assert "+86138****5678" in result.output and "13812345678" not in result.output


def test_checkpoint_export_and_keygen(cli_env: Engine, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["audit", "checkpoint"])
    assert missing.exit_code == 1 and "synchub audit keygen" in missing.output
    assert runner.invoke(app, ["audit", "keygen"]).exit_code == 0
    assert runner.invoke(app, ["audit", "keygen"]).exit_code == 1  # never overwrites a key
    made = runner.invoke(app, ["audit", "checkpoint"])
    assert made.exit_code == 0 and "checkpoint at seq 2" in made.output
    out = tmp_path / "bundle"
    exported = runner.invoke(app, ["audit", "export", "--from-seq", "1", "--to-seq", "2", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert json.loads((out / "manifest.json").read_text())["count"] == 2


def test_bad_entity_argument_is_one_clear_line(cli_env: Engine) -> None:
    result = runner.invoke(app, ["audit", "log", "--entity", "customer"])
    assert result.exit_code == 1
    assert "--entity wants TYPE:ID" in result.output and "Traceback" not in result.output


def test_erase_keeps_the_chain_verifiable(cli_env: Engine, wide_console: None) -> None:
    result = runner.invoke(app, ["audit", "erase", "--entity", "customer:1", "--reason", "PIPL #3"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    log = runner.invoke(app, ["audit", "log", "--entity", "customer:1", "--reveal"])
    assert "[erased]" in log.output and "13812345678" not in log.output
