"""Ops view: freshness per source (a silent source raises the alarm), backlogs, Prometheus text."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from connectors.base import SourceRecord
from hub.api import create_app
from hub.landing import ensure_source, land_records
from hub.models import utcnow
from hub.status import gather_status
from hub.store import session_scope


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
    body = TestClient(create_app(store)).get("/metrics").text
    assert 'synchub_source_leads{source="douyin"} 1' in body
    assert 'synchub_source_stale{source="douyin"} 0' in body
    assert "synchub_quarantine_open 0" in body
