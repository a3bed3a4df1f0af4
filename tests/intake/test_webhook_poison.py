"""Hostile but authentic web-form submissions (issue 18, findings 2 and 7): a poisoned value is
refused or quarantined for that submission alone, its neighbours in the same group commit land, no
503 for input that will never succeed, no SQL parameters in the log, and a replay after a restart
never rolls a lead back."""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import wait
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine

from connectors.base import SourceRecord
from connectors.webform import WebFormSettings, sign
from core.models import Lead, QuarantinedRecord, RawRecord
from hub.api.app import create_app
from services.intake.lander import BatchLander
from store.failures import describe, is_transient

from .test_webhook import SECRET, counts, post, submission


@pytest.fixture
def client(store: Engine) -> TestClient:
    settings = WebFormSettings(secrets={"contact-us": SECRET}, max_body_bytes=2_000_000)
    return TestClient(create_app(store, settings))


def signed(client: TestClient, raw: bytes, ts: int) -> Any:
    headers = {"X-SyncHub-Timestamp": str(ts), "X-SyncHub-Signature": sign(SECRET, ts, raw),
               "Content-Type": "application/json"}  # fmt: skip
    return client.post("/hooks/forms/contact-us", content=raw, headers=headers)


POISON = [
    ("NaN", b'{"submission_id": "p", "fields": {"phone": "13987654321", "budget": NaN}}', 400, "NaN"),
    ("Infinity", b'{"submission_id": "p", "fields": {"phone": "13987654321", "budget": -Infinity}}', 400,
     "Infinity"),
    ("1e999", b'{"submission_id": "p", "fields": {"phone": "13987654321", "budget": 1e999}}', 400, "out of range"),
    ("2**70", b'{"submission_id": "p", "fields": {"phone": "13987654321", "n": 1180591620717411303424}}', 422,
     "out of range"),
    ("NUL", b'{"submission_id": "p", "fields": {"phone": "13987654321", "name": "a\\u0000b"}}', 400, "NUL"),
    ("lone surrogate", b'{"submission_id": "p", "fields": {"phone": "13987654321", "name": "\\ud800"}}', 400,
     "surrogate"),
    ("201-char id", json.dumps({"submission_id": "x" * 201, "fields": {"phone": "13987654321"}}).encode(), 422,
     "longer than 200"),
    ("30,000 deep", b'{"submission_id": "p", "fields": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", 400, "deeper"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "raw", "status", "message"), POISON, ids=[c[0] for c in POISON])
def test_a_poisoned_value_is_refused_for_that_submission_with_where_it_is(
    client: TestClient, store: Engine, case: str, raw: bytes, status: int, message: str
) -> None:
    answer = signed(client, raw, int(time.time()))
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    assert counts(store) == (0, 0, 0)
    assert signed(client, json.dumps(submission("honest")).encode(), int(time.time()) + 1).status_code == 201


def test_a_year_one_timestamp_lands_the_lead_without_it(client: TestClient, store: Engine) -> None:
    body = submission("y1")
    body["submitted_at"] = "0001-01-01T00:00:00+08:00"
    answer = post(client, body)
    assert answer.status_code == 201, answer.text
    with store.connect() as conn:
        lead = conn.execute(select(Lead.submitted_at, Lead.remark)).one()
    assert lead.submitted_at is None and "0001-01-01" in (lead.remark or "")


def test_a_record_the_store_refuses_fails_alone_and_its_group_lands(
    store: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Past the receipt checks (defence in depth): one record the database cannot store, in one group
    commit with twenty honest ones. The honest ones land; the poisoned one is quarantined with the
    reason, its text kept escaped; the log names the failure without anyone's phone."""
    caplog.set_level(logging.DEBUG)
    lander = BatchLander(store, gather_s=0.5)
    try:
        honest = [SourceRecord(f"h{i}", "contact-us", submission(f"h{i}", phone=f"1398765{i:04d}"))
                  for i in range(20)]  # fmt: skip
        poisoned = SourceRecord("bad", "contact-us", submission("bad", phone="13911112222", name="\ud800李"))
        futures = [
            lander.submit("webform:contact-us", "web_form", r) for r in [*honest[:10], poisoned, *honest[10:]]
        ]
        wait(futures, timeout=60)
        outcomes = [f.result()[0] for f in futures]
    finally:
        lander.close()
    assert [o.status for o in outcomes].count("landed") == 20
    bad = outcomes[10]
    assert bad.status == "quarantined" and bad.reason and "could not be stored" in bad.reason
    assert counts(store) == (20, 20, 1)
    with store.connect() as conn:
        kept = conn.execute(select(QuarantinedRecord.payload, QuarantinedRecord.stage)).one()
    assert kept.stage == "landing" and "\\ud800" in kept.payload["unstorable_json"]
    assert "13911112222" not in caplog.text and "1398765" not in caplog.text


def test_a_database_that_is_away_is_a_retry_not_a_quarantine() -> None:
    away = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", connect_args={"connect_timeout": 2})
    with pytest.raises(Exception) as caught, away.connect() as conn:
        conn.execute(text("select 1"))
    assert is_transient(caught.value) and "OperationalError" in describe(caught.value)


def test_a_replay_after_a_restart_never_rolls_the_lead_back(store: Engine) -> None:
    settings = WebFormSettings(secrets={"contact-us": SECRET})
    old_raw = json.dumps(submission("r1", budget="10万")).encode()
    new_raw = json.dumps(submission("r1", budget="300万")).encode()
    now = int(time.time())
    with TestClient(create_app(store, settings)) as first:
        assert signed(first, old_raw, now - 5).status_code == 201
        assert signed(first, new_raw, now - 2).status_code == 200
    with TestClient(create_app(store, settings)) as restarted:  # a new process: the memory guard is empty
        replay = signed(restarted, old_raw, now - 5)
        retry = signed(restarted, new_raw, now)
    assert replay.status_code == 409 and "older than the delivery already stored" in replay.json()["reason"]
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    with store.connect() as conn:
        budget = conn.execute(select(Lead.budget_max)).scalar_one()
        sent = conn.execute(select(RawRecord.sent_at)).scalar_one()
    assert budget == 3_000_000 and sent is not None and int(sent.timestamp()) == now - 2


def test_a_bounded_load_of_poisoned_and_honest_submissions_loses_no_honest_one(
    client: TestClient, store: Engine
) -> None:
    """75 submissions from 15 concurrent senders, one in five poisoned (every kind above, and a year-1
    time that lands without it): every honest one is landed (201) and every poisoned one refused
    alone with a 4xx; none is told to retry."""
    from concurrent.futures import ThreadPoolExecutor

    poison = [raw for _, raw, _, _ in POISON]
    bodies: list[tuple[bytes, bool]] = []
    for n in range(75):
        if n % 5 == 4:
            bodies.append((poison[n % len(poison)].replace(b'"p"', f'"p{n}"'.encode()), False))
        else:
            body = submission(f"load-{n}", phone=f"1390000{n:04d}")
            if n % 7 == 0:
                body["submitted_at"] = "0001-01-01T00:00:00+08:00"
            bodies.append((json.dumps(body).encode(), True))
    now = int(time.time())
    with ThreadPoolExecutor(15) as pool:
        answers = list(
            pool.map(lambda item: signed(client, item[1][0], now + item[0] % 60), enumerate(bodies))
        )
    honest = [a.status_code for a, (_, good) in zip(answers, bodies, strict=True) if good]
    refused = [a.status_code for a, (_, good) in zip(answers, bodies, strict=True) if not good]
    assert honest == [201] * 60
    assert all(400 <= code < 500 for code in refused) and len(refused) == 15
    assert counts(store) == (60, 60, 0)
