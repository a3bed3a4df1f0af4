"""Every job's flow, end to end under a Prefect test server, against the sandbox simulators: each
builds its clients from settings (here pointed at the sandbox) exactly as in production."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.registry import source_connector_names
from connectors.sandbox import RunningSandbox, SandboxState, running_sandbox
from connectors.sandbox.env import sandbox_env
from core.models import Customer, Lead, OutboxMessage, RawRecord
from core.settings import get_settings
from flows.dedupe import dedupe_full_flow, dedupe_leads_flow
from flows.erp import push_receivables_flow, receivable_alerts_flow, reconcile_erp_flow
from flows.intake import pull_source_flow, quarantine_replay_flow
from flows.ledger import ledger_checkpoint_flow
from flows.observability import freshness_watch_flow
from flows.routing import process_leads_flow, sla_watch_flow
from tests.finance.conftest import sign

KEY = "n5nN5LDbHb7cCmQfGlX0aR8V2kqG4xXj3mzJ3o2iQJE="


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    with running_sandbox(SandboxState(seed=31, leads_per_account=12)) as server:
        yield server


@pytest.fixture
def production_like(
    store: Engine, store_url: str, sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    sandbox.state.reset()
    env = {"SYNCHUB_DATABASE_URL": store_url, "SYNCHUB_AUDIT_SIGNING_KEY": KEY}
    env.update(sandbox_env(sandbox.base_url, robots=["east", "north", "ortho"], retry_initial_wait=0.01))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return store


def count(engine: Engine, model: object, *where: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())  # type: ignore[arg-type]


def run_counts(key: str) -> dict[str, Any]:
    """The counts the latest run under ``key`` attached to itself (a Prefect table artifact)."""
    from prefect.artifacts import Artifact

    artifact = Artifact.get(key)
    assert artifact is not None, f"no artifact {key!r}"
    data = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert isinstance(data, list) and len(data) == 1
    return dict(data[0])


def test_every_job_runs_as_a_flow_on_the_sandbox(prefect_harness: None, production_like: Engine) -> None:
    store = production_like
    pulled = {name: pull_source_flow(name)["landed"] for name in source_connector_names()}
    assert all(n > 0 for n in pulled.values()) and count(store, RawRecord) == sum(pulled.values())
    counts = run_counts("pull-ocean-engine")  # each run's counts stay with it in Prefect
    assert counts["landed"] == pulled["ocean_engine"] and {"read", "quarantined", "pages"} <= set(counts)
    assert quarantine_replay_flow()["replayed"] == 0

    matched = dedupe_leads_flow()
    leads = count(store, Lead)
    assert matched["leads"] == leads and matched["linked_to_existing"] + matched["new_customers"] == leads
    assert count(store, Lead, Lead.customer_id.is_(None)) == 0 and 0 < count(store, Customer) <= leads
    assert dedupe_leads_flow()["leads"] == 0  # each lead is matched once
    full = dedupe_full_flow()
    assert full["customers"] == count(store, Customer) and full["blocking"]["candidate_pairs"] > 0
    with store.connect() as conn:
        actors = set(conn.execute(select(AuditLog.actor).where(AuditLog.entity_type == "customer")).scalars())
    assert actors == {"flow:dedupe-leads/dedupe-leads"}  # the run that made them, by its name

    routed = process_leads_flow()
    assert routed["routed"] > 0 and routed["leads"] == count(store, Lead)
    assert count(store, Lead, Lead.owner.is_not(None)) == routed["routed"]
    assert sla_watch_flow() == {"escalated": 0, "reassigned": 0}  # nobody is late yet

    sign(store, "HT-FLOW-1")
    sign(store, "HT-FLOW-2", erp="yonyou")
    pushed = push_receivables_flow()
    assert pushed["created"] == 4 and count(store, OutboxMessage, OutboxMessage.status == "done") == 4
    reconciled = reconcile_erp_flow()
    assert set(reconciled) >= {"kingdee", "yonyou"}
    assert run_counts("reconcile-erp")["kingdee.settlements"] == reconciled["kingdee"]["settlements"]
    assert receivable_alerts_flow()["failed"] == 0

    assert freshness_watch_flow() == []
    checkpoint = ledger_checkpoint_flow()
    assert checkpoint["entries"] == checkpoint["checkpoint_seq"] > 0
