"""The people page (issue 19): a sales manager sees who holds what and hands a leaver's customers and
open leads to a colleague; each move is in the ledger under the manager's name; other roles are refused."""

from __future__ import annotations

from sqlalchemy import select

from audit.models import AuditLog
from core.models import Customer, Lead, PersonStatus
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of


def test_a_sales_manager_hands_a_leavers_customers_to_a_colleague(site: Site, client_for: ClientFor) -> None:
    with session_scope(site.engine) as s:
        customer = s.get_one(Customer, site.seeded.golden)
        customer.owner = "li"
        for lead in s.scalars(select(Lead).where(Lead.owner.is_not(None))):
            lead.owner = "li"
    manager = client_for("liu")
    page = manager.get("/people")
    assert (
        page.status_code == 200 and 'data-person="li"' in page.text and 'data-testid="leave-li"' in page.text
    )
    answer = manager.post("/people/li/leave", data={"to": "chen", "note": "离职", "csrf_token": csrf_of(page.text)},
                          follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    shown = manager.get(answer.headers["location"]).text
    assert "li 已离职" in shown and "已离职" in shown
    with session_scope(site.engine) as s:
        assert s.get_one(Customer, site.seeded.golden).owner == "chen"
        held = {(lead.stage, lead.owner) for lead in s.scalars(select(Lead).where(Lead.owner.is_not(None)))}
        assert {owner for stage, owner in held if stage not in ("won", "lost")} == {"chen"}  # open: moved
        assert {owner for stage, owner in held if stage in ("won", "lost")} == {"li"}  # closed: history stays
        assert s.scalars(select(PersonStatus.status).where(PersonStatus.person == "li")).one() == "left"
        actors = set(s.scalars(select(AuditLog.actor).where(AuditLog.action.in_(("handover", "leave")))))
    assert actors == {"user:liu"}
    assert client_for("chen").get("/people").status_code == 403  # ops may not hand people over
