"""The ERP flows' tasks as plain functions (no Prefect server): settings from the environment."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from connectors.sandbox.erp_state import ERP_CREDENTIALS
from core.settings import get_settings
from flows.erp import (
    alerts_task,
    push_receivables_flow,
    push_task,
    receivable_alerts_flow,
    reconcile_erp_flow,
    reconcile_task,
)

from .conftest import Erp, installments, outbox, sign


@pytest.fixture
def env(store: Engine, store_url: str, erp: Erp, monkeypatch: pytest.MonkeyPatch) -> Erp:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("SYNCHUB_KINGDEE_BASE_URL", erp.base_url + "/k3cloud")
    for key, value in ERP_CREDENTIALS["kingdee"].items():
        monkeypatch.setenv(f"SYNCHUB_KINGDEE_{key.upper()}", value)
    monkeypatch.setenv("SYNCHUB_YONYOU_BASE_URL", erp.base_url)
    for key, value in ERP_CREDENTIALS["yonyou"].items():
        monkeypatch.setenv(f"SYNCHUB_YONYOU_{key.upper()}", value)
    get_settings.cache_clear()
    return erp


def test_push_reconcile_and_alert_tasks_run_from_settings(store: Engine, env: Erp) -> None:
    sign(store, "HT-FL1")
    sign(store, "HT-FL2", erp="yonyou")
    assert push_task.fn(10, 2) == {"claimed": 4, "created": 4}
    assert set(outbox(store).values()) == {"done"} and all(i.erp_id for i in installments(store).values())
    result = reconcile_task.fn("2026-11-25")
    assert result["kingdee"]["status_changes"] == 1 and result["yonyou"]["status_changes"] == 1
    assert result["kingdee"]["customers"] == 1  # the customer the push created, now linked both ways
    quiet = {"channel": "log", "messages_sent": 0, "messages_waiting": 0, "messages_failed": 0}  # no robots
    assert alerts_task.fn("2026-11-25") == {"raised": 2, "sent": 2, "failed": 0, **quiet}
    assert alerts_task.fn("2026-11-26") == {"raised": 0, "sent": 0, "failed": 0, **quiet}


def test_flow_names() -> None:
    names = {f.name for f in (push_receivables_flow, reconcile_erp_flow, receivable_alerts_flow)}
    assert names == {"push-receivables", "reconcile-erp", "receivable-alerts"}
