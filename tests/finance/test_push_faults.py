"""Exactly one bill per installment in the sandbox ERP under every fault, and nothing lost."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from connectors.kingdee import KingdeeGateway
from connectors.sandbox.kingdee import sandbox_settings as kingdee_sandbox
from connectors.sandbox.yonyou import sandbox_settings as yonyou_sandbox
from connectors.yonyou import yonyou_gateway
from mapping.erp.codes import ErpCodes, load_erp_codes
from services.finance.push import push_once
from services.finance.settings import FinanceSettings

from .conftest import Erp, installments, outbox, sign

FAULTS: dict[str, dict[str, Any]] = {
    "none": {},
    "slow": {"latency": 0.05},
    "5xx": {"server_error": 3},
    "rate_limit": {"rate_limit": 3},
    "session_expiry": {"expire_session": 2},
    "lost_reply_timeout": {"lost_reply": 2, "lost_reply_mode": "timeout"},
    "lost_reply_504": {"lost_reply": 3, "lost_reply_mode": "504"},
    "lost_reply_500": {"lost_reply": 1, "lost_reply_mode": "500"},
    "slow_commit": {"slow_commit": 2},
}


def codes_with(codes: ErpCodes, key_field: str) -> ErpCodes:
    return replace(codes, key_field=key_field)  # type: ignore[arg-type]


def push_until_done(engine: Engine, gateway: Any, settings: FinanceSettings, deadline: float = 20.0) -> None:
    """Run the push loop until every message is done or dead (bounded in time)."""
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        report = push_once(engine, {gateway.system: gateway}, worker="w1", settings=settings)
        if report.claimed == 0:
            if all(v in ("done", "dead") for v in outbox(engine).values()):
                return
            time.sleep(0.05)


VARIANTS = ["kingdee-bill_no", "kingdee-remark", "yonyou-u8", "yonyou-bip"]


def make_gateway(variant: str, base_url: str, key_field: str) -> Any:
    transport = {"timeout_read": 0.3, "retry_initial_wait": 0.01, "retry_max_wait": 0.05}
    if variant.startswith("kingdee"):
        return KingdeeGateway(
            kingdee_sandbox(base_url, **transport), codes_with(load_erp_codes("kingdee"), key_field)
        )
    edition = variant.partition("-")[2]
    return yonyou_gateway(yonyou_sandbox(base_url, edition, **transport), load_erp_codes("yonyou"))


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("fault", list(FAULTS))
def test_exactly_one_bill_per_installment_under_fault(
    store: Engine, erp: Erp, fast: FinanceSettings, fault: str, variant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = variant.partition("-")[0]
    key_field = "remark" if variant.endswith("remark") else "bill_no"
    for n in range(3):
        sign(store, f"HT-F{n}", erp=system)
    erp.state.faults[system].update({**FAULTS[fault], "stall_seconds": 0.6, "retry_after": 0.01})
    gateway = make_gateway(variant, erp.base_url, key_field)
    monkeypatch.setattr("services.finance.push.load_erp_codes", lambda name, folder=None: gateway.codes)
    # a remark is not unique in the ERP: give a slow commit time to land before the next attempt
    finance = fast.model_copy(update={"backoff_initial": 1.0 if key_field == "remark" else 0.0})
    try:
        push_until_done(store, gateway, finance)
    finally:
        gateway.close()
    keys = [f"HT-F{n}#{i}" for n in range(3) for i in (1, 2)]
    form = "AR_receivable" if system == "kingdee" else "receivable"
    assert outbox(store) == {f"{system}:{k}": "done" for k in keys}
    assert {k: erp.state.count_bills(system, k) for k in keys} == dict.fromkeys(keys, 1)
    rows = erp.state.rows(system, form)
    assert len(rows) == 6
    ids = {str(r.get("FID") or r.get("id")) for r in rows}
    pushed = installments(store)
    assert {i.erp_id for i in pushed.values()} == ids
    assert all(i.status == "pushed" and i.erp_system == system for i in pushed.values())
    assert len(erp.state.rows(system, "BD_Customer" if system == "kingdee" else "customer")) == 3
