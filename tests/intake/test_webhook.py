"""The signed web-form webhook: authentic records land before the answer; everything else is a clear
4xx and stores nothing, except an authentic but unmappable submission, which is quarantined."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from audit.models import AuditLog
from connectors.webform import WebFormSettings, sign
from core.models import Lead, QuarantinedRecord, RawRecord
from hub.api.app import create_app
from hub.api.settings import ApiSettings

SECRET = "form-secret-4f9a"


@pytest.fixture
def client(store: Engine) -> TestClient:
    settings = WebFormSettings(secrets={"contact-us": SECRET}, max_body_bytes=4096)
    return TestClient(create_app(store, settings))


def submission(sid: str = "sub-1", **fields: Any) -> dict[str, Any]:
    base = {"name": "李经理", "phone": "+86 139 8765 4321", "company": "智联医械(杭州)有限公司",
            "product": "IVD试剂", "budget": "50-100万", "city": "杭州", "utm_source": "baidu"}  # fmt: skip
    base.update(fields)
    return {"submission_id": sid, "submitted_at": "2026-11-20T10:21:33+08:00", "fields": base}


def post(client: TestClient, body: Any, *, ts: int | None = None, secret: str = SECRET, form: str = "contact-us",
         sig: str | None = None) -> Any:  # fmt: skip
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = int(time.time()) if ts is None else ts
    headers = {"X-SyncHub-Timestamp": str(ts), "X-SyncHub-Signature": sig or sign(secret, ts, raw),
               "Content-Type": "application/json"}  # fmt: skip
    return client.post(f"/hooks/forms/{form}", content=raw, headers=headers)


def counts(store: Engine) -> tuple[int, int, int]:
    with store.connect() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(m)).scalar_one())
            for m in (RawRecord, Lead, QuarantinedRecord)
        )


def test_an_authentic_submission_is_landed_before_the_answer(client: TestClient, store: Engine) -> None:
    answer = post(client, submission())
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "landed"
    with store.connect() as conn:
        lead = conn.execute(select(Lead).where(Lead.id == body["lead_id"])).one()
        actor = conn.execute(select(AuditLog.actor).where(AuditLog.entity_type == "lead")).scalar_one()
    assert lead.phone == "+8613987654321" and lead.budget_max == 1000000
    assert actor == "api:webform:contact-us"


def test_a_retried_submission_never_makes_a_second_lead(client: TestClient, store: Engine) -> None:
    first = post(client, submission())
    again = post(client, submission(), ts=int(time.time()) + 1)  # a retry: new timestamp, same id
    changed = post(client, submission(budget="200万"), ts=int(time.time()) + 2)
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert again.json()["status"] == "duplicate" and changed.json()["status"] == "updated"
    assert counts(store) == (1, 1, 0)


@pytest.mark.parametrize(
    ("case", "kwargs", "status", "message"),
    [
        ("bad signature", {"secret": "guessed"}, 401, "bad signature"),
        ("stale timestamp", {"ts": int(time.time()) - 3600}, 401, "stale timestamp"),
        ("future timestamp", {"ts": int(time.time()) + 3600}, 401, "stale timestamp"),
        ("no signature", {"sig": " "}, 401, "bad signature"),
        ("unknown form", {"form": "nope"}, 404, "unknown form"),
    ],
)
def test_inauthentic_requests_are_refused_and_store_nothing(
    client: TestClient, store: Engine, case: str, kwargs: dict[str, Any], status: int, message: str
) -> None:
    answer = post(client, submission(), **kwargs)
    assert answer.status_code == status, case
    assert message in answer.json()["error"]
    assert counts(store) == (0, 0, 0)


def test_malformed_and_oversized_bodies_get_clear_4xx(client: TestClient, store: Engine) -> None:
    broken = post(client, b'{"submission_id": "x", "fields": {')
    assert broken.status_code == 400 and "malformed JSON" in broken.json()["error"]
    listed = post(client, [1, 2])
    assert listed.status_code == 400 and "JSON object" in listed.json()["error"]
    huge = post(client, submission(remark="很长" * 3000))
    assert huge.status_code == 413 and "4096" in huge.json()["error"]
    assert counts(store) == (0, 0, 0)


def test_a_replayed_request_is_refused(client: TestClient, store: Engine) -> None:
    raw = json.dumps(submission()).encode()
    ts = int(time.time())
    headers = {"X-SyncHub-Timestamp": str(ts), "X-SyncHub-Signature": sign(SECRET, ts, raw)}
    assert client.post("/hooks/forms/contact-us", content=raw, headers=headers).status_code == 201
    replayed = client.post("/hooks/forms/contact-us", content=raw, headers=headers)
    assert replayed.status_code == 409 and "replayed" in replayed.json()["error"]


def test_authentic_but_unmappable_is_quarantined(client: TestClient, store: Engine) -> None:
    answer = post(client, {"submission_id": "sub-9", "fields": {"name": "张三", "remark": "请回电"}})
    assert answer.status_code == 202
    assert "no phone, email, company or USCC" in answer.json()["reason"]
    assert counts(store) == (1, 0, 1)


def test_logs_show_no_secret_and_no_full_phone(
    client: TestClient, store: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    post(client, submission())
    post(client, submission(), secret="guessed")
    post(client, {"submission_id": "q", "fields": {"remark": "call 13987654321"}})
    text = caplog.text
    assert SECRET not in text and "13987654321" not in text and "9876 4321" not in text


def test_the_short_path_leaves_other_requests_to_the_router(client: TestClient, store: Engine) -> None:
    """Only POST /hooks/forms/{id} takes the hot path; other methods and deeper paths get FastAPI's
    answers, and the route is still in the OpenAPI document."""
    assert client.get("/hooks/forms/contact-us").status_code == 405
    assert client.post("/hooks/forms/contact-us/extra", content=b"{}").status_code == 404
    schema = TestClient(create_app(store, api=ApiSettings(schema_public=True))).get("/openapi.json")
    assert "/hooks/forms/{form_id}" in schema.json()["paths"]
    assert counts(store) == (0, 0, 0)


def test_workers_build_the_app_from_the_environment(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What each process of `synchub serve-api --workers N` runs: settings from the environment."""
    from core.settings import get_settings
    from hub.api.app import app_from_environment

    monkeypatch.setattr("hub.api.gc_tuning.tune_for_serving", lambda: None)  # not in the test process
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    monkeypatch.setenv("SYNCHUB_WEBFORM_SECRETS", json.dumps({"contact-us": SECRET}))
    get_settings.cache_clear()
    try:
        with TestClient(app_from_environment()) as env_client:
            answer = post(env_client, submission("from-env"))
    finally:
        get_settings.cache_clear()
    assert answer.status_code == 201, answer.text
    assert counts_at(store_url) == (1, 1, 0)


def counts_at(url: str) -> tuple[int, int, int]:
    from store.engine import make_engine

    engine = make_engine(url)
    try:
        return counts(engine)
    finally:
        engine.dispose()
