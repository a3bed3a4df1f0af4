"""Dead letters, retry and cancel, leases of dead workers, and the outbox commands."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer import Typer
from typer.testing import CliRunner

from core.models import OutboxMessage, utcnow
from core.settings import get_settings
from hub.cli.finance import outbox_app
from mapping.erp.records import ErpBill
from services.finance.outbox import claim, retry_messages
from services.finance.push import push_once
from services.finance.settings import FinanceSettings
from store.engine import session_scope

from .conftest import installments, outbox, sign
from .fakes import FakeErp

FAST = FinanceSettings(backoff_initial=0.0, max_attempts=3)


def test_retriable_failures_dead_letter_after_n_attempts_with_the_reason(store: Engine) -> None:
    sign(store, "HT-O1", payment_terms={"installments": [100]})
    erp = FakeErp(["retriable"] * 10)
    for _ in range(5):
        push_once(store, {"kingdee": erp}, worker="w", settings=FAST)
    with session_scope(store) as s:
        message = s.scalars(select(OutboxMessage)).one()
        assert (message.status, message.attempts) == ("dead", 3)
        assert message.last_error == "gave up after 3 attempts: RetriableError: kingdee: HTTP 503"
    assert erp.creates["HT-O1-01"] == 3


def test_a_fatal_refusal_is_dead_at_once_and_a_retry_reads_back_first(store: Engine) -> None:
    sign(store, "HT-O2", payment_terms={"installments": [100]})
    erp = FakeErp(["fatal"])
    push_once(store, {"kingdee": erp}, worker="w", settings=FAST)
    assert outbox(store) == {"kingdee:HT-O2#1": "dead"}
    with session_scope(store) as s:
        assert "fatal: FatalError" in (s.scalars(select(OutboxMessage.last_error)).one() or "")
    assert retry_messages(store, all_dead=True) == [1]
    erp.bills["HT-O2-01"] = ErpBill("ID-made-by-hand", "HT-O2-01")  # finance keyed it in meanwhile
    assert push_once(store, {"kingdee": erp}, worker="w", settings=FAST).outcomes == {"found": 1}
    assert installments(store)["HT-O2#1"].erp_id == "ID-made-by-hand" and erp.creates["HT-O2-01"] == 1


def test_a_lost_reply_is_read_back_at_once(store: Engine) -> None:
    sign(store, "HT-O3", payment_terms={"installments": [100]})
    erp = FakeErp(["lost"])
    assert push_once(store, {"kingdee": erp}, worker="w", settings=FAST).outcomes == {"found": 1}
    assert erp.creates["HT-O3-01"] == 1 and outbox(store) == {"kingdee:HT-O3#1": "done"}


def test_a_dead_workers_claim_is_taken_over_after_its_lease_with_read_back(store: Engine) -> None:
    sign(store, "HT-O4", payment_terms={"installments": [100]})
    settings = FinanceSettings(lease_seconds=60)
    [taken] = claim(store, "dead-worker", settings)
    assert not taken.readback and claim(store, "other", settings) == []  # leased
    later = utcnow() + timedelta(seconds=61)
    [again] = claim(store, "other", settings, now=later)
    assert (again.id, again.attempts, again.readback) == (taken.id, 2, True)


def test_outbox_commands_list_retry_and_cancel(
    store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    sign(store, "HT-O5")
    push_once(
        store, {"kingdee": FakeErp(["fatal"])}, worker="w", settings=FAST.model_copy(update={"batch_size": 1})
    )
    app = Typer()
    app.add_typer(outbox_app, name="outbox")
    runner = CliRunner()
    listed = runner.invoke(app, ["outbox", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert [(m["id"], m["status"]) for m in json.loads(listed.output)] == [(1, "dead"), (2, "pending")]
    refused = runner.invoke(app, ["outbox", "retry", "2"])
    assert refused.exit_code == 1 and "only dead or cancelled" in refused.output
    assert runner.invoke(app, ["outbox", "cancel", "2"]).exit_code == 0
    assert runner.invoke(app, ["outbox", "retry", "--all-dead"]).exit_code == 0
    missing = runner.invoke(app, ["outbox", "cancel", "99"])
    assert missing.exit_code == 1 and "no outbox message 99" in missing.output
    assert outbox(store) == {"kingdee:HT-O5#1": "pending", "kingdee:HT-O5#2": "cancelled"}
