"""Fixtures of the finance tests: a running sandbox with its ERP state, contract helpers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

import core.models.finance_ext  # noqa: F401  (registers finance_alerts until core.models imports it)
from connectors.sandbox import SandboxState, running_sandbox
from connectors.sandbox.erp_state import ErpState, erp_state_of
from core.models import OutboxMessage, ReceivableInstallment
from services.finance.intake import IntakeResult, sign_contract
from services.finance.settings import FinanceSettings
from store.engine import session_scope


@dataclass(frozen=True)
class Erp:
    base_url: str
    state: ErpState


@pytest.fixture(scope="session")
def erp_server() -> Iterator[Erp]:
    """One simulator for the session (starting uvicorn costs more than most tests)."""
    sandbox = SandboxState(leads_per_account=1)
    with running_sandbox(sandbox) as running:
        yield Erp(running.base_url, erp_state_of(sandbox))


@pytest.fixture
def erp(erp_server: Erp) -> Erp:
    """The simulator with no bills, sessions, faults or counters."""
    erp_server.state.reset()
    return erp_server


@pytest.fixture
def fast() -> FinanceSettings:
    return FinanceSettings(backoff_initial=0.0, max_attempts=8, lease_seconds=30)


def contract(number: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "customer": {"name": f"客户{number}有限公司"},
        "amount": "300000.00",
        "currency": "CNY",
        "tax_rate": "13%",
        "signed_at": "2026-11-20T10:00:00+08:00",
        "payment_terms": {"installments": [50, 50], "interval_days": 90},
        "owner": "zhang.san",
    }
    data.update(overrides)
    return data


def sign(engine: Engine, number: str, **overrides: Any) -> IntakeResult:
    return sign_contract(engine, contract(number, **overrides), actor="api:test", now=None)


def outbox(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {m.business_key: m.status for m in s.scalars(select(OutboxMessage))}


def installments(engine: Engine) -> dict[str, ReceivableInstallment]:
    with session_scope(engine) as s:
        return {i.business_key: i for i in s.scalars(select(ReceivableInstallment))}
