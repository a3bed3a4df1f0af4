"""``synchub export ...`` through typer's runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from audit.models import AuditLog
from core.settings import get_settings
from hub.cli.main import app
from hub.cli.output import EXIT_FOUND_WRONG
from store.engine import session_scope
from tests.exports.conftest import Book, add_book, sheet_rows
from tests.web.seed import seed, signing_settings

runner = CliRunner()


@pytest.fixture
def cli_book(store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Book:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    seed(store, signing_settings())
    return add_book(store)


def test_receivables_with_filters(cli_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["export", "receivables", "--out", str(out), "--contract", "HT-T-00",
                                 "--today", "2026-12-07"])  # fmt: skip
    assert result.exit_code == 0, result.output
    _, rows = sheet_rows(out, "应收明细")
    assert {r[0] for r in rows[1:]} == {"HT-T-001", "HT-T-002", "HT-T-003", "HT-T-004"}
    assert f"wrote {len(rows) - 1 + 2 * (4 + 1)} rows to" in result.output  # detail, 2 totals sheets


def test_audit_entity_and_reveal_needs_who(cli_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "a.xlsx"
    result = runner.invoke(app, ["export", "audit", "--entity", "customer:1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    _, rows = sheet_rows(out, "审计记录")
    assert rows[1:] and {(r[4], r[5]) for r in rows[1:]} == {("customer", "1")}
    by_contract = runner.invoke(app, ["export", "audit", "--contract", "HT-T-002", "--out", str(out)])
    assert by_contract.exit_code == 0, by_contract.output
    found = {(r[4], r[5]) for r in sheet_rows(out, "审计记录")[1][1:]}
    assert ("contract", "4") in found and ("customer", "1") not in found  # the seed's 2 contracts come first
    refused = runner.invoke(app, ["export", "audit", "--entity", "customer:1", "--out", str(out), "--reveal"])
    assert refused.exit_code == EXIT_FOUND_WRONG and "--by" in refused.output
    shown = runner.invoke(app, ["export", "audit", "--entity", "customer:1", "--out", str(out), "--reveal",
                                "--by", "li", "--reason", "PIPL 7"])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    with session_scope(cli_book.engine) as s:
        event = s.scalars(select(AuditLog).where(AuditLog.action == "reveal")).one()
        assert (event.actor, event.entity_id, event.reason) == ("user:li", "1", "PIPL 7")


def test_leads_quarantine_and_one_line_errors(cli_book: Book, tmp_path: Path) -> None:
    out = tmp_path / "l.xlsx"
    assert runner.invoke(app, ["export", "leads", "--out", str(out), "--status", "won"]).exit_code == 0
    assert {r[3] for r in sheet_rows(out, "线索")[1][1:]} == {"赢单"}
    out = tmp_path / "q.xlsx"
    assert runner.invoke(app, ["export", "quarantine", "--out", str(out), "--status", "all"]).exit_code == 0
    assert len(sheet_rows(out, "隔离区")[1]) == 2
    bad = runner.invoke(app, ["export", "leads", "--out", str(out), "--source", "nowhere"])
    assert bad.exit_code == EXIT_FOUND_WRONG and "error:" in bad.output and "Traceback" not in bad.output
    wrong = runner.invoke(app, ["export", "quarantine", "--out", str(tmp_path / "q.csv")])
    assert wrong.exit_code == EXIT_FOUND_WRONG and ".xlsx" in wrong.output
