"""A lead's page and its stage form (issue 20: stage changes from the console, in the ledger, counted
by the funnel); forward only, masked personal values, sales managers and ops only."""

from __future__ import annotations

import json

from sqlalchemy import select

from audit.models import AuditLog
from core.models import Lead
from hub.web.data.leads import funnel
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of


def _lead_in(site: Site, stage: str) -> int:
    with session_scope(site.engine) as s:
        return s.scalars(select(Lead.id).where(Lead.stage == stage).order_by(Lead.id)).first() or 0


def _stage_events(site: Site, lead_id: int) -> list[dict[str, object]]:
    with session_scope(site.engine) as s:
        rows = s.execute(
            select(AuditLog.actor, AuditLog.reason, AuditLog.changes)
            .where(
                AuditLog.entity_type == "lead", AuditLog.entity_id == str(lead_id), AuditLog.action == "stage"
            )
            .order_by(AuditLog.seq)
        ).all()
    return [{"actor": a, "reason": r, **json.loads(c)["event"]} for a, r, c in rows]


def test_a_sales_manager_moves_a_lead_forward_and_the_ledger_and_funnel_say_so(
    site: Site, client_for: ClientFor
) -> None:
    lead_id = _lead_in(site, "contacted")
    assert lead_id
    qualified_before = funnel(site.engine, None).total.counts[2]
    client = client_for("liu")
    page = client.get(f"/leads/{lead_id}")
    assert page.status_code == 200
    assert "13812345678" not in page.text and "王小明" not in page.text  # masked
    assert 'data-stage="contacted"' in page.text
    options = page.text.split('data-testid="stage-select"')[1].split("</select>")[0]
    assert 'value="qualified"' in options and 'value="won"' in options and 'value="assigned"' not in options
    answer = client.post(
        f"/leads/{lead_id}/stage",
        data={"stage": "qualified", "note": "客户确认了采购需求", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith(
        f"/leads/{lead_id}?done=qualified"
    )
    shown = client.get(answer.headers["location"])
    assert 'data-stage="qualified"' in shown.text and "阶段已改为：需求确认" in shown.text
    (event,) = _stage_events(site, lead_id)
    assert event["actor"] == "user:liu" and event["reason"] == "客户确认了采购需求"
    assert (event["from"], event["to"], event["by"]) == ("contacted", "qualified", "user:liu")
    assert funnel(site.engine, None).total.counts[2] == qualified_before + 1


def test_a_stage_does_not_go_back_and_a_closed_lead_offers_no_form(site: Site, client_for: ClientFor) -> None:
    client = client_for("chen")
    proposal = _lead_in(site, "proposal")
    token = csrf_of(client.get(f"/leads/{proposal}").text)
    back = client.post(f"/leads/{proposal}/stage", data={"stage": "qualified", "csrf_token": token})
    assert back.status_code == 400 and "阶段只能向前推进" in back.text
    bogus = client.post(f"/leads/{proposal}/stage", data={"stage": "bogus", "csrf_token": token})
    assert bogus.status_code == 400
    assert _stage_events(site, proposal) == []
    won = client.get(f"/leads/{_lead_in(site, 'won')}")
    assert 'data-testid="stage-form"' not in won.text and "阶段不再变更" in won.text


def test_the_stage_form_needs_its_csrf_token_and_the_right_role(site: Site, client_for: ClientFor) -> None:
    lead_id = _lead_in(site, "contacted")
    forged = client_for("liu").post(f"/leads/{lead_id}/stage", data={"stage": "won"})
    assert forged.status_code in (400, 403)
    assert client_for("li").get(f"/leads/{lead_id}").status_code == 403  # auditors read the ledger instead
    assert client_for("zhao").get(f"/api/leads/{lead_id}").status_code == 403
    assert _stage_events(site, lead_id) == []


def test_open_by_number_the_json_card_and_an_unknown_lead(site: Site, client_for: ClientFor) -> None:
    client = client_for("liu")
    lead_id = _lead_in(site, "contacted")
    opened = client.get(f"/leads/open?id={lead_id}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].endswith(f"/leads/{lead_id}")
    card = client.get(f"/api/leads/{lead_id}").json()
    assert card["stage"] == "contacted" and card["next_stages"] == ["qualified", "proposal", "won", "lost"]
    assert card["phone"] and "*" in card["phone"]
    assert client.get("/leads/999999").status_code == 404
    assert client.get("/api/leads/funnel").status_code == 200  # the funnel API is not taken for a lead id
