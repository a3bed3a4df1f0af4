"""The leads page shows the duplicate follow-up rate and the customers behind it (issue 19)."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.models import Lead
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site


def test_the_leads_page_names_customers_held_by_two_salespeople(site: Site, client_for: ClientFor) -> None:
    page = client_for("chen").get("/leads").text
    assert re.search(r'data-testid="duplicate-rate">0\.0%', page)
    with session_scope(site.engine) as s:
        lead = s.scalars(select(Lead).where(Lead.owner.is_not(None)).order_by(Lead.id)).first()
        assert lead is not None
        lead.owner = "lisi"  # a second salesperson on the same customer
    page = client_for("liu").get("/leads").text
    assert re.search(r'data-testid="duplicate-rate">100\.0%', page)
    assert f"/audit/history/customer/{site.seeded.golden}" in page and "lisi" in page and "zhangsan" in page
