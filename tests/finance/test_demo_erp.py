"""The ERP part of the demo: both ERPs, faults on, money back, alerts once."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from connectors.sandbox import SandboxState, running_sandbox
from hub.demo.finance import run_erp_demo


def test_the_erp_demo_pushes_through_both_erps_with_faults_exactly_once(store: Engine) -> None:
    sandbox = SandboxState(leads_per_account=1)
    with running_sandbox(sandbox) as running:
        summary = run_erp_demo(store, running.base_url, sandbox)
    assert summary["erp_bills"] == {"kingdee": 2, "yonyou": 2} and summary["erp_duplicates"] == 0
    assert set(summary["outbox"].values()) == {"done"}
    assert summary["erp_faults_fired"]["kingdee"] == {
        "fault.lost_reply": 1,
        "fault.expire_session": 1,
        "fault.server_error": 1,
    }
    assert summary["erp_faults_fired"]["yonyou"] == {"fault.lost_reply": 1}
    assert summary["installments"] == {
        "HT-2026-101#1": "overdue",
        "HT-2026-101#2": "pushed",
        "HT-2026-102#1": "paid",
        "HT-2026-102#2": "pushed",
    }
    assert summary["alerts_raised"] == 2 and summary["alerts_raised_on_rerun"] == 0
