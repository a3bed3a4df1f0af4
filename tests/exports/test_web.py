"""``/exports/*.xlsx`` in the console: the page's roles, the page's filters, a workbook back."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from audit.models import AuditLog
from hub.web.views.exports import XLSX
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of
from tests.web.seed import PHONE

ROUTES = {  # route -> users of the page's roles (the others are refused)
    "/exports/receivables.xlsx": {"zhao", "root"},
    "/exports/audit.xlsx": {"li", "root"},
    "/exports/leads.xlsx": {"chen", "liu", "root"},
    "/exports/quarantine.xlsx": {"chen", "liu", "root"},
}


def _book(content: bytes, title: str) -> list[list[object]]:
    ws = load_workbook(io.BytesIO(content))[title]
    assert ws.freeze_panes == "A2"
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_each_export_has_its_pages_roles(site: Site, client_for: ClientFor) -> None:
    assert client_for().get("/exports/leads.xlsx", follow_redirects=False).status_code in (303, 307, 401)
    for name in ("wang", "li", "zhao", "chen", "liu"):
        client = client_for(name)
        for route, allowed in ROUTES.items():
            answer = client.get(route)
            assert answer.status_code == (200 if name in allowed else 403), (name, route)
            if answer.status_code == 200:
                assert answer.headers["content-type"] == XLSX
                assert ".xlsx" in answer.headers["content-disposition"]
                assert PHONE not in str(load_workbook(io.BytesIO(answer.content)).worksheets[0].values)


def test_receivables_take_the_pages_query(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")
    everything = _book(zhao.get("/exports/receivables.xlsx").content, "应收明细")[1:]
    assert {r[0] for r in everything} == {"HT-2026-001", "HT-2026-002"}
    one = _book(zhao.get("/exports/receivables.xlsx", params={"q": "HT-2026-002"}).content, "应收明细")[1:]
    assert {r[0] for r in one} == {"HT-2026-002"}
    assert zhao.get("/exports/receivables.xlsx", params={"q": "a\x01"}).status_code in (400, 422)


def test_audit_reveal_is_logged_with_the_user(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    params = {"entity_type": "customer", "entity_id": str(site.seeded.golden)}
    masked = _book(li.get("/exports/audit.xlsx", params=params).content, "审计记录")[1:]
    assert masked and all(r[4] == "customer" for r in masked)
    assert PHONE not in str(masked)
    sneaked = li.get("/exports/audit.xlsx", params={**params, "reveal": "true", "reason": "x"})
    assert PHONE not in str(_book(sneaked.content, "审计记录"))  # a link never reveals
    forged = li.post("/exports/audit.xlsx", params=params, data={"reason": "x"})
    assert forged.status_code in (400, 403) and PHONE not in forged.text  # no CSRF token: nothing shown
    with session_scope(site.engine) as s:
        assert s.scalars(select(AuditLog).where(AuditLog.action == "reveal")).first() is None
    page = li.get("/audit", params=params)
    assert 'data-testid="export-audit-reveal"' in page.text
    shown = li.post(
        "/exports/audit.xlsx", params=params, data={"reason": "案卷 3", "csrf_token": csrf_of(page.text)}
    )
    assert PHONE in str(_book(shown.content, "审计记录"))
    with session_scope(site.engine) as s:
        event = s.scalars(select(AuditLog).where(AuditLog.action == "reveal")).one()
        assert (event.actor, event.entity_id, event.reason) == ("user:li", str(site.seeded.golden), "案卷 3")
        assert (event.correlation_id or "").startswith("web:")


def test_leads_and_quarantine_filters(site: Site, client_for: ClientFor) -> None:
    chen = client_for("chen")
    rows = _book(chen.get("/exports/leads.xlsx", params={"days": 0, "stage": "won"}).content, "线索")[1:]
    assert len(rows) == 2 and {r[3] for r in rows} == {"赢单"}
    assert chen.get("/exports/leads.xlsx", params={"source": "nowhere"}).status_code == 400
    held = _book(chen.get("/exports/quarantine.xlsx").content, "隔离区")[1:]
    assert [r[0] for r in held] == [site.seeded.quarantined]
    assert chen.get("/exports/quarantine.xlsx", params={"status": "bogus"}).status_code in (400, 422)
