"""The contract API against hostile but signed input (issue 18, finding 8): 422 naming the field for
every invalid value, terms capped alike in every form, and concurrent identical deliveries are one
201 and the rest 200 with no stray customers (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from core.models import Contract, Customer, OutboxMessage
from store.engine import session_scope

from .conftest import contract
from .test_api_excel import client, post  # noqa: F401  (the signed client fixture)

HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    ("1,000-part text terms", {"payment_terms": ", ".join(["0.1@0"] * 1000)}, "payment_terms.installments"),
    ("NaN tax rate", {"tax_rate": "NaN"}, "tax_rate"),
    ("Infinity tax rate", {"tax_rate": "Infinity"}, "tax_rate"),
    ("NaN amount", {"amount": "NaN"}, "amount"),
    ("unknown lead", {"lead_id": 987654}, "lead_id"),
    ("customer id past 2^63", {"customer": {"id": 2**63}}, "customer.id"),
    ("year-1 signing", {"signed_at": "0001-01-01"}, "signed_at"),
    ("due 9999-12-31", {"payment_terms": {"installments": [{"amount": "300000.00", "due_date": "9999-12-31"}]}},
     "payment_terms.installments[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "field"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_every_invalid_value_is_a_422_naming_its_field(
    client: TestClient,  # noqa: F811
    store: Engine,
    case: str,
    change: dict[str, Any],
    field: str,
) -> None:
    answer = post(client, contract("HT-H1", **change))
    assert answer.status_code == 422, answer.text
    body = answer.json()
    said = " ".join(body.get("problems") or []) + body["error"]
    assert field in said, said
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 0
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


def test_thirty_thousand_deep_json_is_a_400(client: TestClient, store: Engine) -> None:  # noqa: F811
    answer = post(client, b'{"number": "HT-H2", "customer": ' + b"[" * 30_000 + b"]" * 30_000 + b"}")
    assert answer.status_code == 400 and "deeper" in answer.json()["error"]


def test_concurrent_identical_deliveries_make_one_contract_and_one_customer(
    client: TestClient,  # noqa: F811
    store: Engine,
) -> None:
    results: list[int] = []
    start = threading.Barrier(12)
    now = int(time.time())  # one clock for all: a second ticking between threads would repeat a stamp

    def deliver(n: int) -> None:
        start.wait()
        results.append(post(client, contract("HT-H3"), stamp=now - n).status_code)

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [200] * 11 + [201]
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(Contract)) == 1
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_a_resend_names_the_erp_it_is_really_queued_for(client: TestClient, store: Engine) -> None:  # noqa: F811
    assert post(client, contract("HT-H4")).status_code == 201
    time.sleep(1.01)
    plain = post(client, contract("HT-H4"))
    assert (plain.status_code, plain.json()["erp"]) == (200, "kingdee")
    moved = post(client, contract("HT-H4", erp="yonyou"), stamp=int(time.time()) + 1)
    assert moved.status_code == 409 and "already queued for kingdee" in moved.json()["error"]
    with session_scope(store) as s:
        systems = {m.payload["system"] for m in s.scalars(select(OutboxMessage))}
    assert systems == {"kingdee"}
