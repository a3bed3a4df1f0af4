"""Fixtures for routing tests: one sandbox per session (Amap, robots, SMS), leads made in a store."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from connectors.amap import AmapClient, AmapSettings
from connectors.amap import budget as amap_budget
from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from connectors.sandbox.notify_state import NOTIFY_CREDENTIALS, NotifyState, notify_state
from core.models import Lead, Source
from hub.demo.senders import sandbox_senders
from services.notify import Senders
from services.routing import RoutingConfig, load_routing
from store.engine import session_scope

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=5, leads_per_account=1)) as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> Iterator[RunningSandbox]:
    notify_state(sandbox_server.state).reset()
    amap_budget._budgets.clear()  # a fresh quota gate and bucket per test
    yield sandbox_server
    notify_state(sandbox_server.state).reset()


@pytest.fixture
def sim(sandbox: RunningSandbox) -> NotifyState:
    return notify_state(sandbox.state)


def amap_settings(base_url: str, **overrides: Any) -> AmapSettings:
    creds = NOTIFY_CREDENTIALS["amap"]
    values: dict[str, Any] = {
        "base_url": base_url,
        "key": creds["key"],
        "private_key": creds["private_key"],
        "qps": 200.0,
        "burst": 20,
        "retry_initial_wait": 0.01,
        "retry_max_wait": 0.05,
    }
    values.update(overrides)
    return AmapSettings(**values)


@pytest.fixture
def amap(sandbox: RunningSandbox) -> Iterator[AmapClient]:
    with AmapClient(amap_settings(sandbox.base_url)) as client:
        yield client


@pytest.fixture
def config() -> RoutingConfig:
    return load_routing()


@pytest.fixture
def senders(sandbox: RunningSandbox) -> Iterator[Senders]:
    made = sandbox_senders(sandbox.base_url, ["east", "north", "ortho"], retry_initial_wait=0.01)
    yield made
    made.close()


def add_leads(
    engine: Engine, *specs: dict[str, Any], source: str = "ocean_engine:1760000000000001"
) -> list[int]:
    """Insert leads (each spec: Lead fields) under one source; returns their ids."""
    with session_scope(engine) as session:
        src = session.query(Source).filter_by(name=source).one_or_none()
        if src is None:
            src = Source(name=source, kind=source.split(":")[0], config={})
            session.add(src)
            session.flush()
        leads = []
        for spec in specs:
            values = {
                "external_id": f"x{next(_ids)}",
                "phone": "+8613812345678",
                "phone_kind": "mobile",
                **spec,
            }
            for key in ("budget_min", "budget_max"):
                if key in values and values[key] is not None:
                    values[key] = Decimal(values[key])
            lead = Lead(source_id=src.id, **values)
            session.add(lead)
            leads.append(lead)
        session.flush()
        return [lead.id for lead in leads]
