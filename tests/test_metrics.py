"""``/metrics`` with prometheus_client, read back with its own parser: the status gauges are the figures
of ``gather_status``, events are counted where they happen, label values are escaped, and any number of
apps share one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import Engine

from connectors.base import SourceRecord
from connectors.http import RequestMetrics
from connectors.webform import WebFormSettings, sign
from core.metrics import REGISTRY
from hub.api.app import create_app
from hub.api.settings import ApiSettings
from services.intake.landing import ensure_source, land_records
from services.status import gather_status
from store.engine import session_scope

PUBLIC = ApiSettings(metrics_public=True)
ODD = 'expo "2026"\nshanghai\\east'  # a quote, a newline and a backslash in one source name
SECRET = "form-secret-metrics-1"
ROOT = Path(__file__).resolve().parents[1]

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def _scrape(client: TestClient) -> Samples:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def _land(store: Engine, source_name: str, *ids: str, kind: str = "ocean_engine") -> None:
    with session_scope(store) as s:
        source = ensure_source(s, source_name, kind)
        source.expected_interval_s = 900
        records = [SourceRecord(i, "1", {"clue_id": i, "telephone": "13812345678"}) for i in ids]
        land_records(s, source, records)


def _counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_gauges_are_the_status_figures(store: Engine) -> None:
    _land(store, "douyin", "c-1", "c-2")
    _land(store, ODD, "c-9")
    with session_scope(store) as s:
        ensure_source(s, "expo-list", "excel")  # never delivered: no seconds-since series
    samples = _scrape(TestClient(create_app(store, api=PUBLIC)))
    status = gather_status(store)
    assert {s.name for s in status.sources} == {"douyin", ODD, "expo-list"}
    for source in status.sources:
        assert _value(samples, "synchub_source_leads", source=source.name) == source.leads
        assert _value(samples, "synchub_source_stale", source=source.name) == int(source.is_stale(status.at))
    assert _value(samples, "synchub_source_leads", source=ODD) == 1
    assert _value(samples, "synchub_source_leads", source="douyin") == 2
    silent = _value(samples, "synchub_source_seconds_since_delivery", source="douyin")
    assert silent is not None and 0 <= silent < 60
    assert _value(samples, "synchub_source_seconds_since_delivery", source="expo-list") is None
    assert _value(samples, "synchub_quarantine_open") == status.quarantine_open
    assert _value(samples, "synchub_leads_unrouted") == status.unrouted_leads == 3
    assert _value(samples, "synchub_leads_awaiting_geocode") == status.awaiting_geocode
    dup = status.duplicate_followup
    assert _value(samples, "synchub_duplicate_followup_rate") == pytest.approx(dup.rate if dup else 0.0)


def test_label_values_are_escaped(store: Engine) -> None:
    _land(store, ODD, "c-1")
    body = TestClient(create_app(store, api=PUBLIC)).get("/metrics").text
    assert 'source="expo \\"2026\\"\\nshanghai\\\\east"' in body  # the exposition format's escapes
    assert not any(line.startswith("shanghai") for line in body.splitlines())
    parsed = [
        sample.labels["source"]
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if family.name == "synchub_source_leads"
    ]
    assert parsed == [ODD]


def test_a_landing_increments_the_counter(store: Engine) -> None:
    client = TestClient(create_app(store, api=PUBLIC))
    before = _scrape(client)
    _land(store, "douyin", "c-1", "c-2")
    _land(store, "douyin", "c-1")  # the same record again
    after = _scrape(client)

    def grew(outcome: str) -> float:
        name, labels = "synchub_landings_total", {"source": "douyin", "outcome": outcome}
        return (_value(after, name, **labels) or 0) - (_value(before, name, **labels) or 0)

    assert grew("landed") == 2 and grew("duplicate") == 1 and grew("quarantined") == 0


def test_a_rolled_back_landing_is_not_counted(store: Engine) -> None:
    before = _counted("synchub_landings_total", source="rolled-back", outcome="landed")
    with pytest.raises(RuntimeError), session_scope(store) as s:
        source = ensure_source(s, "rolled-back", "ocean_engine")
        land_records(s, source, [SourceRecord("c-1", "1", {"clue_id": "c-1", "telephone": "13812345678"})])
        raise RuntimeError("the caller fails before the commit")
    assert _counted("synchub_landings_total", source="rolled-back", outcome="landed") == before


def test_the_webhook_is_timed_and_its_landing_counted(store: Engine) -> None:
    client = TestClient(create_app(store, WebFormSettings(secrets={"contact-us": SECRET}), api=PUBLIC))
    before = _scrape(client)
    body = json.dumps(
        {"submission_id": "m-1", "fields": {"name": "李经理", "phone": "13987654321", "company": "智联医械"}}
    ).encode()
    ts = int(time.time())
    headers = {"X-SyncHub-Timestamp": str(ts), "X-SyncHub-Signature": sign(SECRET, ts, body)}
    assert client.post("/hooks/forms/contact-us", content=body, headers=headers).status_code == 201
    after = _scrape(client)
    count = "synchub_webhook_seconds_count"
    assert (_value(after, count, hook="web_form") or 0) - (_value(before, count, hook="web_form") or 0) == 1
    assert (_value(after, "synchub_webhook_seconds_sum", hook="web_form") or 0) > 0
    landed = _value(after, "synchub_landings_total", source="webform:contact-us", outcome="landed")
    assert landed is not None and landed >= 1


def test_http_counters_and_flow_runs_are_exported(store: Engine) -> None:
    from flows.common import count_flow_run

    client = TestClient(create_app(store, api=PUBLIC))
    before = _scrape(client)
    counters = RequestMetrics()  # any instance: the Prometheus counters are the process's
    counters.count_request(("kingdee", "bills"))
    counters.count_response(("kingdee", "bills"), 429)
    counters.count_retry(("kingdee", "bills"))
    count_flow_run(SimpleNamespace(name="pull-source"), None, SimpleNamespace(name="Completed", type="x"))
    after = _scrape(client)

    def grew(name: str, **labels: str) -> float:
        return (_value(after, name, **labels) or 0) - (_value(before, name, **labels) or 0)

    assert grew("synchub_http_requests_total", connector="kingdee", stream="bills") == 1
    assert grew("synchub_http_responses_total", connector="kingdee", stream="bills", code="429") == 1
    assert grew("synchub_http_retries_total", connector="kingdee", stream="bills") == 1
    assert grew("synchub_flow_runs_total", flow="pull-source", state="Completed") == 1


def test_many_apps_in_one_process(store: Engine) -> None:
    """Each app has its own scrape registry over the one set of counters: no duplicated series."""
    _land(store, "douyin", "c-1")
    first, second = (TestClient(create_app(store, api=PUBLIC)) for _ in range(2))
    one, two = _scrape(first), _scrape(second)
    assert one.keys() == two.keys()  # the same series, none twice
    ticking = {"synchub_source_seconds_since_delivery"}  # read off the clock at each scrape
    assert {k: v for k, v in one.items() if k[0] not in ticking} == {
        k: v for k, v in two.items() if k[0] not in ticking
    }


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR shared, a scrape sees the counts of processes that have ended (a
    flow run under `synchub serve`) besides its own."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from core.metrics import LANDINGS; LANDINGS.labels('expo', 'landed').inc(3)"
    scrape = (
        "from datetime import datetime; from types import SimpleNamespace as N\n"
        "from prometheus_client import generate_latest\n"
        "from core.metrics import LANDINGS, scrape_registry\n"
        "LANDINGS.labels('expo', 'landed').inc(2)\n"
        "status = N(at=datetime.now(), sources=[], outbox={}, quarantine_open=7, awaiting_geocode=0,\n"
        "           unrouted_leads=0, duplicate_followup=None)\n"
        "print(generate_latest(scrape_registry(lambda: status)).decode())\n"
    )
    subprocess.run([sys.executable, "-c", count], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [sys.executable, "-c", scrape], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(out)
        for s in family.samples
    }
    assert _value(samples, "synchub_landings_total", source="expo", outcome="landed") == 5
    assert _value(samples, "synchub_quarantine_open") == 7


class _Robot:
    """A robot sender that refuses its second message with a hub error (the channel is down)."""

    per_minute = 100
    last_wait: float | None = None

    def __init__(self) -> None:
        self.calls = 0

    def send(self, robot: str, title: str, text: str) -> str:
        from connectors.errors import FatalError

        self.calls += 1
        if self.calls == 2:
            raise FatalError("wecom: robot key revoked")
        return "sent"


def test_notifications_are_counted_per_channel_and_outcome(store: Engine) -> None:
    from services.notify import NotificationService, Senders, enqueue

    def counted(outcome: str) -> float:
        return _counted("synchub_notifications_total", channel="wecom", outcome=outcome)

    sent, failed = counted("sent"), counted("failed")
    with session_scope(store) as s:
        for i in range(2):
            context = {"lead_id": i, "company": f"公司{i}", "phone": "138****5678", "link": "x"}
            enqueue(s, "new_lead", "wecom", "east", context, key=f"metrics:{i}")
    robot = _Robot()
    NotificationService(store, Senders(robots={"wecom": robot})).dispatch()
    assert robot.calls == 2
    assert (counted("sent") - sent, counted("failed") - failed) == (1, 1)


def test_erp_pushes_are_counted_by_result(store: Engine) -> None:
    from services.finance.push import push_once
    from services.finance.settings import FinanceSettings
    from tests.finance.conftest import sign as sign_contract
    from tests.finance.fakes import FakeErp

    def counted(result: str) -> float:
        return _counted("synchub_erp_pushes_total", system="kingdee", result=result)

    before = {result: counted(result) for result in ("ok", "retry", "dead")}
    sign_contract(store, "HT-M1", payment_terms={"installments": [100]})
    sign_contract(store, "HT-M2", payment_terms={"installments": [100]})
    fast = FinanceSettings(backoff_initial=0.0, max_attempts=3)
    erp = FakeErp(["retriable", "fatal"])  # the first bill is retried, the second refused for good
    push_once(store, {"kingdee": erp}, worker="w", settings=fast)
    push_once(store, {"kingdee": erp}, worker="w", settings=fast)  # the retried one goes through
    grown = {result: counted(result) - before[result] for result in before}
    assert grown == {"ok": 1, "retry": 1, "dead": 1}
