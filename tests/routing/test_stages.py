"""Sales stages moved by people (issue 20): forward only, each move in the ledger with who and why,
and the funnel counts a stage a lead reached even after it moved on."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from audit.models import AuditLog
from core.errors import InputError, NotFoundError
from core.models import Lead
from hub.web.data.leads import funnel
from services.routing import RoutingConfig, process_new_leads
from services.routing.stages import set_stage
from store.engine import session_scope
from tests.routing.conftest import T0, add_leads


def test_stages_go_forward_with_who_and_why_and_the_funnel_keeps_them(
    store: Engine, config: RoutingConfig
) -> None:
    ids = add_leads(store, *({"address": "上海市徐汇区", "phone": f"+861380000880{i}"} for i in range(3)))
    process_new_leads(store, ids, config=config, clock=lambda: T0)
    first = set_stage(store, ids[0], "qualified", by="li", note="needs 20 units")
    assert (first.before, first.after, first.changed) == ("assigned", "qualified", True)
    set_stage(store, ids[0], "proposal", by="li")
    set_stage(store, ids[0], "lost", by="li", note="went with a competitor")
    set_stage(store, ids[1], "contacted", by="chen")
    with pytest.raises(InputError, match="does not go back"):
        set_stage(store, ids[0], "qualified")
    with pytest.raises(InputError, match="use one of"):
        set_stage(store, ids[1], "maybe")
    with pytest.raises(NotFoundError):
        set_stage(store, 999_999, "won")
    with session_scope(store) as s:
        lead = s.get_one(Lead, ids[0])
        assert lead.stage == "lost" and lead.first_contact_at is not None  # qualifying implies contact
        events = s.scalars(select(AuditLog).where(AuditLog.action == "stage").order_by(AuditLog.seq)).all()
    assert [e.reason for e in events][:1] == ["needs 20 units"] and len(events) == 4
    counts = funnel(store, None).total.counts
    assert counts[:4] == [3, 2, 1, 1]  # the lost lead still counts as qualified and proposed


def test_the_cli_moves_a_stage_and_refuses_a_bad_one(store: Engine, config: RoutingConfig, store_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from core.settings import get_settings
    from hub.cli.main import app

    [lead_id] = add_leads(store, {"address": "上海市徐汇区"})
    process_new_leads(store, [lead_id], config=config, clock=lambda: T0)
    monkeypatch.setenv("SYNCHUB_DATABASE_URL", store_url)
    get_settings.cache_clear()
    done = CliRunner().invoke(app, ["route", "stage", str(lead_id), "qualified", "--by", "li"])
    assert done.exit_code == 0 and "assigned -> qualified" in done.output
    bad = CliRunner().invoke(app, ["route", "stage", str(lead_id), "maybe"])
    assert bad.exit_code != 0 and "qualified" in bad.output and "Traceback" not in bad.output


def test_a_contract_naming_a_lead_wins_it_in_the_ledger_and_leaves_a_lost_one_lost(
    store: Engine, config: RoutingConfig
) -> None:
    from datetime import UTC, datetime

    from services.finance.intake import sign_contract

    ids = add_leads(store, *({"address": "上海市徐汇区", "phone": f"+861390000770{i}"} for i in range(2)))
    process_new_leads(store, ids, config=config, clock=lambda: T0)
    set_stage(store, ids[1], "lost", by="li", note="no budget")
    for number, lead_id in (("HT-S-1", ids[0]), ("HT-S-2", ids[1])):
        sign_contract(store, {"number": number, "erp": "kingdee", "customer": {"name": "上海徐汇精工有限公司"},
                              "amount": "1000.00", "tax_rate": "13%", "lead_id": lead_id, "payment_terms": "100@0",
                              "signed_at": datetime.now(UTC).isoformat()}, actor="api:crm")  # fmt: skip
    with session_scope(store) as s:
        won, lost = s.get_one(Lead, ids[0]), s.get_one(Lead, ids[1])
        assert (won.stage, lost.stage) == ("won", "lost") and won.first_contact_at is not None
        event = s.scalars(
            select(AuditLog).where(AuditLog.action == "stage", AuditLog.entity_id == str(ids[0]))
        ).one()
    assert event.reason == "contract HT-S-1 signed" and event.actor == "api:crm"
