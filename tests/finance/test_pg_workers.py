"""Several push workers on PostgreSQL: claims skip locked rows, and no message is pushed twice."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select
from sqlalchemy.engine import Engine

from core.models import OutboxMessage
from services.finance.outbox import claim
from services.finance.push import push_once
from services.finance.settings import FinanceSettings
from store.engine import make_engine, session_scope

from .conftest import outbox, sign
from .fakes import FakeErp


def test_claims_skip_rows_another_transaction_holds(pg_store: Engine) -> None:
    for n in range(3):
        sign(pg_store, f"HT-P{n}")
    with session_scope(pg_store) as holder:
        locked = holder.scalars(
            select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2).with_for_update()
        ).all()
        result: list[list[int]] = []
        worker = threading.Thread(
            target=lambda: result.append([c.id for c in claim(pg_store, "w2", FinanceSettings())])
        )
        worker.start()
        worker.join(timeout=15)
        assert not worker.is_alive(), "claim blocked on rows another worker holds: SKIP LOCKED is missing"
    assert result == [[3, 4, 5, 6]] and set(locked) == {1, 2}


def test_two_workers_never_push_the_same_message(pg_store: Engine) -> None:
    for n in range(15):
        sign(pg_store, f"HT-W{n}")
    erp = FakeErp(delay=0.01)
    settings = FinanceSettings(batch_size=3, backoff_initial=0.0)
    url = pg_store.url.render_as_string(hide_password=False)
    claimed: Counter[str] = Counter()

    def work(name: str) -> None:
        engine = make_engine(url)
        try:
            while True:
                report = push_once(engine, {"kingdee": erp}, worker=name, settings=settings, concurrency=2)
                claimed[name] += report.claimed
                if report.claimed == 0:
                    return
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert set(outbox(pg_store).values()) == {"done"}
    assert len(erp.creates) == 30 and set(erp.creates.values()) == {1}
    assert sum(claimed.values()) == 30 and min(claimed.values()) > 0
