"""One definition of days overdue (Beijing calendar days after the due date), the same in the alert
text, the console's receivables page and ``synchub contract receivables``, on a frozen clock
(issue 20: the demo's alert said 应收逾期 11 天 where the page said 逾期 1 天 for one installment)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

import mapping.timestamps
from core.models import NotificationLog
from hub.cli.main import app as cli
from hub.web import create_web_app
from services.finance.alerts import LoggingNotifier, run_alerts
from services.finance.notify import NotificationLogNotifier
from services.finance.overdue import days_overdue
from services.finance.push import push_once
from services.finance.reconcile import reconcile
from services.finance.settings import FinanceSettings
from store.engine import session_scope
from tests.web.conftest import login
from tests.web.seed import signing_settings, web_settings, write_users

from .conftest import Erp, sign
from .test_reconcile_alerts import gateway_for

DUE = date(2026, 12, 6)
# 00:30 on 7 December in Beijing, still 6 December in UTC: a count in UTC days would say 0
NOW = datetime(2026, 12, 6, 16, 30, tzinfo=UTC)
NUMBER = "HT-OD-1"


class Clock:
    """A frozen ``datetime.now`` for every caller of ``mapping.timestamps.china_today``: the CLI's
    default business date and the console's (``hub.web.clock.cst_today`` is that function)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
        self.now = now
        clock = self

        class Frozen(datetime):
            @classmethod
            def now(cls, tz: object = None) -> Frozen:
                return clock.now  # type: ignore[return-value]

        monkeypatch.setattr(mapping.timestamps, "datetime", Frozen)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch, NOW)


@pytest.fixture
def overdue_contract(store: Engine, erp: Erp) -> Engine:
    """A contract whose first installment falls due on 6 December, pushed and reconciled on the 7th."""
    sign(store, NUMBER, signed_at="2026-12-06T10:00:00+08:00")
    gateway = gateway_for("kingdee", erp)
    try:
        push_once(store, {"kingdee": gateway}, worker="w", settings=FinanceSettings())
        reconcile(store, gateway, date(2026, 12, 7))
    finally:
        gateway.close()
    return store


@pytest.fixture
def finance_client(store: Engine, tmp_path: Path) -> Iterator[TestClient]:
    app = create_web_app(store, write_users(tmp_path / "users.toml"), web_settings(), signing_settings())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield login(client, "zhao")


def _page_days(client: TestClient) -> int:
    html = client.get("/receivables").text
    row = re.search(rf'data-installment="{NUMBER}#1">(.*?)</tr>', html, re.S)
    assert row, html
    cell = re.search(r'data-testid="overdue">(\d*)<', row.group(1))
    assert cell
    return int(cell.group(1) or 0)


def _cli_days(store_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    from core.settings import get_settings

    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["contract", "receivables", "--json"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    [contract] = [c for c in page["contracts"] if c["number"] == NUMBER]
    return int(contract["installments"][0]["days_overdue"])


def _alert_titles(store: Engine) -> list[str]:
    with session_scope(store) as s:
        return [r.title for r in s.scalars(select(NotificationLog).order_by(NotificationLog.id))]


def test_the_definition() -> None:
    assert [days_overdue(DUE, DUE + timedelta(days=n)) for n in (-3, 0, 1, 11)] == [0, 0, 1, 11]
    assert days_overdue(DUE, now=NOW) == 1  # Beijing's date, not UTC's
    assert days_overdue(DUE, now=NOW - timedelta(minutes=31)) == 0  # 23:59 on the 6th in Beijing


def test_alert_console_and_cli_agree_on_a_frozen_clock(
    overdue_contract: Engine,
    store_url: str,
    clock: Clock,
    finance_client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = overdue_contract
    today = mapping.timestamps.china_today()
    assert today == date(2026, 12, 7)
    run_alerts(store, NotificationLogNotifier(store), today, NOW)
    assert _alert_titles(store) == [f"应收逾期 1 天：{NUMBER}"] * 2  # the owner and finance
    assert _page_days(finance_client) == 1
    assert _cli_days(store_url, monkeypatch) == 1


def test_an_alert_counts_its_days_when_it_is_sent(
    overdue_contract: Engine,
    store_url: str,
    clock: Clock,
    finance_client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Raised on the 7th, the robot unreachable; sent on the 9th it says what the page says then."""
    store = overdue_contract

    class Down(LoggingNotifier):
        def send(self, *args: object) -> None:
            raise ConnectionError("robot unreachable")

    assert run_alerts(store, Down(), date(2026, 12, 7), NOW).failed == 1
    clock.now = NOW + timedelta(days=2)
    later = mapping.timestamps.china_today()
    notifier = LoggingNotifier()
    assert run_alerts(store, notifier, later, clock.now).sent == 1
    [(event, _, payload)] = notifier.sent
    assert (event, payload["days_overdue"]) == ("overdue", 3)
    assert "overdue 3 days" in payload["summary"]
    assert _page_days(finance_client) == 3
    assert _cli_days(store_url, monkeypatch) == 3
