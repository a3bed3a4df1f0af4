"""The review queue in the order an admin should take it (issue 21): the pairs whose decision moves
most leads and contracts first, then the highest score."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from audit.context import audit_context
from core.models import Contract, Customer, Lead, MatchCandidate, Source
from core.settings import get_settings
from dedupe.review import impact, list_candidates
from hub.cli.main import app
from store.engine import session_scope


def _queue(engine: Engine) -> dict[str, int]:
    with audit_context(actor="test:review"), session_scope(engine) as s:
        src = Source(name="ads", kind="ad_platform")
        a, b, c, d, e = (Customer(name=n) for n in ("甲公司", "甲", "乙公司", "乙", "乙有限"))
        s.add_all([src, a, b, c, d, e])
        s.flush()
        e.status, e.merged_into_id = "merged", c.id  # e's leads are c's now
        s.add_all([Lead(source_id=src.id, external_id=f"l{i}", customer_id=cid)
                   for i, cid in enumerate([c.id, c.id, e.id, e.id])])  # fmt: skip
        signed = datetime(2026, 12, 1, tzinfo=UTC)
        s.add(Contract(number="HT-1", customer_id=d.id, amount=Decimal(1), signed_at=signed))
        high = MatchCandidate(left_id=a.id, right_id=b.id, score=1.9, decision="review")
        busy = MatchCandidate(left_id=c.id, right_id=d.id, score=1.6, decision="review")
        done = MatchCandidate(left_id=a.id, right_id=d.id, score=9.0, decision="review", status="rejected")
        s.add_all([high, busy, done])
        s.flush()
        return {"high": high.id, "busy": busy.id, "done": done.id}


def test_the_queue_puts_the_decision_that_moves_most_first(store: Engine) -> None:
    ids = _queue(store)
    with session_scope(store) as s:
        pending = list_candidates(s, "pending")
        assert [c.id for c in pending] == [ids["busy"], ids["high"]]  # 2 + 2 leads and a contract, then 0
        assert impact(s, pending) == {ids["busy"]: 5, ids["high"]: 0}
        assert [c.id for c in list_candidates(s, "pending", limit=1)] == [ids["busy"]]
        assert [c.id for c in list_candidates(s, "rejected")] == [ids["done"]]


def test_the_cli_lists_the_queue_with_its_impact(
    store: Engine, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _queue(store)
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["dedupe", "review", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["impact"]) for r in rows] == [(ids["busy"], 5), (ids["high"], 0)]
