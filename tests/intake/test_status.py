"""Ops view: freshness per source (a silent source raises the alarm), backlogs, Prometheus text."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from audit.context import audit_context
from connectors.base import SourceRecord
from core.models import utcnow
from hub.api.app import create_app
from hub.api.settings import ApiSettings
from services.intake.landing import ensure_source, land_records
from services.status import gather_status
from store.engine import session_scope

# the figures here; the token check is tests/web/test_api_auth.py
PUBLIC_METRICS = ApiSettings(metrics_public=True)


def _deliver(store: Engine, clue_id: str) -> None:
    with session_scope(store) as s:
        source = ensure_source(s, "douyin", "ocean_engine")
        source.expected_interval_s = 900
        land_records(
            s, source, [SourceRecord(clue_id, "1", {"clue_id": clue_id, "telephone": "13812345678"})]
        )


def test_a_source_that_goes_silent_is_stale(store: Engine) -> None:
    _deliver(store, "c-1")
    now = utcnow()
    assert gather_status(store, now).stale() == []
    later = gather_status(store, now + timedelta(minutes=16))
    assert [s.name for s in later.stale()] == ["douyin"]
    _deliver(store, "c-1")  # a redelivery is not news: still stale
    assert [s.name for s in gather_status(store, utcnow() + timedelta(minutes=16)).stale()] == ["douyin"]
    _deliver(store, "c-2")
    assert gather_status(store, utcnow() + timedelta(minutes=5)).stale() == []


def test_a_source_without_an_expected_interval_never_alarms(store: Engine) -> None:
    with session_scope(store) as s:
        ensure_source(s, "expo-list", "excel")
    assert gather_status(store, utcnow() + timedelta(days=30)).stale() == []


def test_metrics_endpoint_matches_status(store: Engine) -> None:
    _deliver(store, "c-1")
    body = TestClient(create_app(store, api=PUBLIC_METRICS)).get("/metrics").text
    assert 'synchub_source_leads{source="douyin"} 1.0' in body
    assert 'synchub_source_stale{source="douyin"} 0.0' in body
    assert "synchub_quarantine_open 0.0" in body


def test_status_shows_backlogs_and_the_last_flow_runs(
    store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch, wide_console: None
) -> None:
    from typer.testing import CliRunner

    from core.models import Lead
    from core.settings import get_settings
    from hub.cli.main import app

    run_id = "0b7e1f3c-5d2a-4c6b-9e8f-1a2b3c4d5e6f"
    with audit_context(actor="flow:pull-source/pull-ocean_engine", correlation_id=f"flow-run:{run_id}"):
        _deliver(store, "c-1")
        _deliver(store, "c-2")
    with session_scope(store) as s:
        lead = s.scalars(select(Lead).order_by(Lead.id)).first()
        assert lead is not None
        lead.geocode_status = "awaiting_geocode"
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["backlogs"]["awaiting_geocode"] == 1 and report["backlogs"]["unrouted_leads"] == 2
    (run,) = [r for r in report["last_runs"] if r["flow"] == "pull-source"]
    assert run["run"] == "pull-ocean_engine" and run["run_id"] == run_id and run["entries"] > 0
    assert report["cursors"] == [] and report["sources"][0]["leads"] == 2
    table = CliRunner().invoke(app, ["status"])
    assert (
        table.exit_code == 0 and "pull-ocean_engine" in table.output and "awaiting_geocode 1" in table.output
    )
    assert gather_status(store).runs == []  # the ledger is read for runs only on request
    assert [r.run for r in gather_status(store, runs=True).runs] == ["pull-ocean_engine"]
    body = TestClient(create_app(store, api=PUBLIC_METRICS)).get("/metrics").text
    assert "synchub_leads_awaiting_geocode 1.0" in body and "synchub_leads_unrouted 2.0" in body
