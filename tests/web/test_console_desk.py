"""The console at the desk (issue 22): heavy actions ask first, receivables add up, every list has its
Excel button with the page's filters, and sales managers see their own team, salesperson by salesperson."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core.models import Customer, Lead, MatchCandidate, OutboxMessage, QuarantinedRecord
from hub.web import UserStore
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of
from tests.web.seed import PASSWORD


def test_merge_and_unmerge_ask_first_and_act_only_when_confirmed(site: Site, client_for: ClientFor) -> None:
    wang = client_for("wang")
    token = csrf_of(wang.get("/review").text)
    url = f"/review/candidates/{site.seeded.candidate}/approve"
    asked = wang.post(url, data={"csrf_token": token, "note": "同一家"})
    assert asked.status_code == 200 and 'data-testid="confirm-page"' in asked.text
    assert "杭州智联医疗器械有限公司" in asked.text and "苏州智联医疗器械有限公司" in asked.text
    assert 'name="confirm" value="yes"' in asked.text and 'value="同一家"' in asked.text  # the note carried
    with session_scope(site.engine) as s:
        assert s.get_one(MatchCandidate, site.seeded.candidate).status == "pending"
    forged = wang.post(url, data={"csrf_token": "forged", "confirm": "yes"})
    assert forged.status_code == 400
    done = wang.post(url, data={"csrf_token": csrf_of(asked.text), "confirm": "yes", "note": "同一家"})
    assert done.status_code == 200 and f"已合并候选 {site.seeded.candidate}" in done.text
    with session_scope(site.engine) as s:
        assert s.get_one(MatchCandidate, site.seeded.candidate).status == "approved"
    assert wang.post(url, data={"csrf_token": token}).status_code == 400  # decided: nothing to confirm

    unmerge = f"/review/customers/{site.seeded.golden}/unmerge"  # the golden: the whole cluster
    asked = wang.post(unmerge, data={"csrf_token": token})
    assert asked.status_code == 200 and "整个客户簇将解散" in asked.text
    with session_scope(site.engine) as s:
        assert s.get_one(Customer, site.seeded.member).status == "merged"
    assert wang.post(unmerge, data={"csrf_token": token, "confirm": "yes"}).status_code == 200
    with session_scope(site.engine) as s:
        assert s.get_one(Customer, site.seeded.member).status == "active"


def test_retry_all_lists_what_it_will_retry_and_retries_only_that(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")
    token = csrf_of(zhao.get("/receivables").text)
    asked = zhao.post("/receivables/dead-letters/retry-all", data={"csrf_token": token})
    assert asked.status_code == 200 and "确认重试全部 1 条" in asked.text and "HT-2026-001-3" in asked.text
    with session_scope(site.engine) as s:
        assert s.get_one(OutboxMessage, site.seeded.dead_message).status == "dead"
        later = OutboxMessage(topic="erp.receivable.push", business_key="kingdee:later", status="dead",
                              aggregate_type="receivable_installment", aggregate_id=1, payload={})  # fmt: skip
        s.add(later)
        s.flush()
        later_id = later.id
    shown = re.findall(r'name="id" value="(\d+)"', asked.text)
    assert shown == [str(site.seeded.dead_message)]
    done = zhao.post(
        "/receivables/dead-letters/retry-all", data={"csrf_token": token, "confirm": "yes", "id": shown}
    )
    assert done.status_code == 200 and "已重新排队 1 条推送" in done.text
    with session_scope(site.engine) as s:
        assert s.get_one(OutboxMessage, site.seeded.dead_message).status == "pending"
        assert s.get_one(OutboxMessage, later_id).status == "dead"  # died after the page was shown


def test_replaying_all_of_quarantine_asks_first(site: Site, client_for: ClientFor) -> None:
    chen = client_for("chen")
    token = csrf_of(chen.get("/leads").text)
    asked = chen.post("/leads/quarantine/replay", data={"csrf_token": token, "all": "1"})
    assert asked.status_code == 200 and "确认重放隔离区全部 1 条记录" in asked.text
    assert "无法识别线索" in asked.text  # the reason, in Chinese
    with session_scope(site.engine) as s:
        assert s.get_one(QuarantinedRecord, site.seeded.quarantined).attempts == 1
    ids = re.findall(r'name="id" value="(\d+)"', asked.text)
    assert ids == [str(site.seeded.quarantined)]
    done = chen.post("/leads/quarantine/replay", data={"csrf_token": token, "confirm": "yes", "id": ids})
    assert done.status_code == 200 and "1 条仍未通过" in done.text
    with session_scope(site.engine) as s:
        assert s.get_one(QuarantinedRecord, site.seeded.quarantined).attempts == 2


def _cells(page: str, testid: str) -> list[Decimal]:
    found = re.findall(rf'data-testid="{testid}">([^<]+)<', page)
    return [Decimal(v.replace(",", "")) for v in found]


def test_receivable_totals_are_the_sum_of_the_rows(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")
    for params in ({}, {"limit": "1"}, {"q": "002"}, {"overdue_only": "true"}):
        rows = zhao.get("/api/receivables", params={**params, "limit": "200"}).json()["contracts"]
        page = zhao.get("/receivables", params=params).text
        installments = [i for c in rows for i in c["installments"]]
        unsettled = [i for i in installments if i["status"] not in ("paid", "written_off")]
        expected = {
            "total-amount": sum(Decimal(c["amount"]) for c in rows),
            "total-invoiced": sum(Decimal(i["invoiced_amount"]) for i in installments),
            "total-received": sum(Decimal(i["paid_amount"]) for i in installments),
            "total-outstanding": sum(Decimal(c["outstanding"]) for c in rows),
            "total-overdue": sum(
                Decimal(i["amount"]) - Decimal(i["paid_amount"]) for i in unsettled if i["days_overdue"] > 0
            ),
        }
        for testid, total in expected.items():
            assert _cells(page, testid) == [total], (params, testid)
        assert "筛选结果合计" in page
    whole = zhao.get("/receivables").text  # the seed: 30,000 + 8,000; 12,000 received; 8,000 overdue
    assert [_cells(whole, t)[0] for t in ("total-amount", "total-received", "total-overdue")] == [
        Decimal("38000"), Decimal("12000"), Decimal("8000"),
    ]  # fmt: skip


def test_every_list_page_has_an_excel_button_with_its_filters(site: Site, client_for: ClientFor) -> None:
    root = client_for("root")
    pages = {
        "/receivables?q=002&overdue_only=1&offset=50&retried=1": {
            "receivables": "/exports/receivables.xlsx?q=002&overdue_only=1"
        },
        "/audit?entity_type=customer&since=2026-01-01&before_seq=9": {
            "audit": "/exports/audit.xlsx?entity_type=customer&since=2026-01-01"
        },
        "/leads?days=30": {
            "leads": "/exports/leads.xlsx?days=30",
            "quarantine": "/exports/quarantine.xlsx?days=30",
        },
        "/leads": {"leads": "/exports/leads.xlsx", "quarantine": "/exports/quarantine.xlsx"},
    }
    for path, buttons in pages.items():
        page = root.get(path).text
        for name, href in buttons.items():
            found = re.search(
                rf'<a class="button export" href="([^"]+)" data-testid="export-{name}">导出 Excel</a>', page
            )
            assert found and html.unescape(found.group(1)) == href, (path, name)
            download = root.get(href)  # the route behind the button (hub.web.views.exports)
            assert download.status_code == 200 and download.content[:2] == b"PK", (href, download.text[:200])


def test_a_team_lead_sees_his_teams_salespeople_with_sla_and_conversion(
    site: Site, client_for: ClientFor
) -> None:
    UserStore(site.users_file).add("sun", ["sales_manager"], PASSWORD, display_name="孙强")  # leads north
    with session_scope(site.engine) as s:
        leads = {lead.external_id: lead for lead in s.scalars(select(Lead))}
        plan = {"ext-0": "zhou", "ext-2": "zhou", "ext-3": "sun", "ext-5": "sun", "ext-1": "li"}
        for ext, owner in plan.items():
            leads[ext].owner, leads[ext].team = owner, "north" if owner != "li" else "east"
        for ext in ("ext-2", "ext-5"):  # contacted before their deadline
            due = leads[ext].sla_due_at
            assert due is not None
            leads[ext].first_contact_at = due - timedelta(minutes=10)
    sun = client_for("sun")
    teams = sun.get("/api/people/sales", params={"days": 0}).json()
    assert [t["team"] for t in teams] == ["north"]  # his team only
    rows = {r["person"]: r for r in teams[0]["rows"]}
    assert set(rows) == {"sun", "zhou"}
    counts = ("leads", "open", "on_time", "late", "overdue")
    assert [rows["sun"][k] for k in counts] == [2, 1, 1, 1, 0]
    assert rows["sun"]["sla_rate"] == 0.5 and rows["sun"]["reached"] == [2, 2, 2, 1, 1, 1]
    assert rows["sun"]["conversion"] == 0.5
    assert [rows["zhou"][k] for k in counts] == [2, 2, 1, 0, 1]
    assert rows["zhou"]["reached"] == [2, 1, 0, 0, 0, 0] and rows["zhou"]["conversion"] == 0.0
    total = teams[0]["total"]
    assert [total[k] for k in counts] == [4, 3, 2, 1, 1]
    page = sun.get("/people", params={"days": 0}).text
    assert 'data-testid="sales-north"' in page and 'data-testid="sales-east"' not in page
    assert re.search(r'data-sales="sun".*?data-k="sla_rate">50\.0%<', page, re.S)

    admin = client_for("wang").get("/api/people/sales", params={"days": 0}).json()
    assert {t["team"] for t in admin} == {"central", "east", "north", "ortho", "south"}
    east = next(t for t in admin if t["team"] == "east")
    assert {r["person"]: r["leads"] for r in east["rows"]}["li"] == 1
    nobody = client_for("liu")  # a sales manager who leads no team
    assert nobody.get("/api/people/sales").json() == []
    assert 'data-testid="no-team"' in nobody.get("/people").text
    assert client_for("zhao").get("/api/people/sales").status_code == 403
