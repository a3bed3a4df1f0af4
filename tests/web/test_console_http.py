"""The console over HTTP (no browser), on SQLite and PostgreSQL: sessions, CSRF, lockout, roles on
every page and endpoint, ledger attribution of every action, and no personal value in any answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models import AuditLog
from core.errors import ConfigError
from core.models import Customer, MatchCandidate, OutboxMessage, QuarantinedRecord
from hub.web.context import PAGES
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of
from tests.web.seed import PHONE, USERS

# sessions, CSRF and lockout do not touch the database's dialect: SQLite is enough for those
SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
API = {  # endpoint -> roles that may call it
    "/api/review/candidates": {"admin"},
    "/api/review/clusters": {"admin"},
    "/api/audit/entries": {"auditor"},
    "/api/audit/history/customer/1": {"auditor"},
    "/api/audit/verification": {"auditor"},
    "/api/audit/checkpoint": {"auditor"},
    "/api/receivables": {"finance"},
    "/api/receivables/dead-letters": {"finance"},
    "/api/receivables/outbox": {"finance"},
    "/api/leads/funnel": {"ops", "sales_manager"},
    "/api/leads/sla-breaches": {"ops", "sales_manager"},
    "/api/leads/quarantine": {"ops", "sales_manager"},
    "/api/flows/status": {"ops"},
}


def test_pages_and_endpoints_answer_only_their_roles(site: Site, client_for: ClientFor) -> None:
    anonymous = client_for()
    for page in PAGES:
        answer = anonymous.get(f"/{page.key}", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"/login?next=/{page.key}"
    for path in API:
        assert anonymous.get(path).status_code == 401
    posted = anonymous.post(f"/review/candidates/{site.seeded.candidate}/approve", follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/login"
    for name, roles in USERS.items():
        client = client_for(name)
        for page in PAGES:
            expected = 200 if page.roles & set(roles) else 403
            assert client.get(f"/{page.key}").status_code == expected, (name, page.key)
        for path, allowed in API.items():
            expected = 200 if allowed & set(roles) else 403
            assert client.get(path).status_code == expected, (name, path)


def test_no_full_phone_number_or_secret_in_any_answer(site: Site, client_for: ClientFor) -> None:
    root = client_for("root")
    pages = [f"/{p.key}" for p in PAGES] + [
        f"/review/candidates/{site.seeded.candidate}",
        f"/audit/history/customer/{site.seeded.golden}",
        "/audit/history/lead/1",
        f"/audit/history/outbox_message/{site.seeded.dead_message}",
        "/audit?limit=500",
    ]
    answers = [root.get(path) for path in [*pages, *API, f"/api/review/candidates/{site.seeded.candidate}"]]
    for answer in answers:
        assert answer.status_code == 200, answer.request.url
        assert PHONE not in answer.text, answer.request.url
        assert "correct horse" not in answer.text and "scrypt$" not in answer.text
        assert "test-console-secret" not in answer.text
    assert "138****5678" in root.get(f"/review/candidates/{site.seeded.candidate}").text  # masked, not hidden


def _entries(site: Site, action: str) -> list[AuditLog]:
    with session_scope(site.engine) as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.seq)))


def test_review_actions_reach_the_ledger_with_the_user_and_the_request(
    site: Site, client_for: ClientFor
) -> None:
    wang = client_for("wang")
    token = csrf_of(wang.get("/review").text)
    approve = wang.post(
        f"/review/candidates/{site.seeded.candidate}/approve",
        data={"csrf_token": token, "note": "同一家", "confirm": "yes"},
        headers={"X-Request-ID": "req-approve-0001"},
    )
    assert approve.status_code == 200 and f"已合并候选 {site.seeded.candidate}" in approve.text
    merge = [e for e in _entries(site, "merge") if e.actor == "user:wang"]
    assert (
        len(merge) == 1 and merge[0].correlation_id == "web:req-approve-0001" and merge[0].reason == "同一家"
    )
    with session_scope(site.engine) as s:
        touched = s.scalars(select(AuditLog).where(AuditLog.correlation_id == "web:req-approve-0001")).all()
        assert {e.actor for e in touched} == {"user:wang"} and len(touched) > 1
    again = wang.post(
        f"/review/candidates/{site.seeded.candidate}/approve", data={"csrf_token": token, "confirm": "yes"}
    )
    assert again.status_code == 400 and "already approved" in again.text
    unmerge = wang.post(
        f"/review/customers/{site.seeded.other}/unmerge", data={"csrf_token": token, "confirm": "yes"}
    )
    assert unmerge.status_code == 200
    assert [e.actor for e in _entries(site, "unmerge")] == ["user:wang"]
    with session_scope(site.engine) as s:
        assert s.get_one(Customer, site.seeded.other).status == "active"
    missing = wang.post("/review/customers/999999/unmerge", data={"csrf_token": token, "confirm": "yes"})
    assert missing.status_code == 404


def test_reject_keeps_the_pair_apart(site: Site, client_for: ClientFor) -> None:
    wang = client_for("wang")
    token = csrf_of(wang.get("/review").text)
    wang.post(
        f"/review/candidates/{site.seeded.candidate}/reject", data={"csrf_token": token, "note": "两家"}
    )
    with session_scope(site.engine) as s:
        candidate = s.get_one(MatchCandidate, site.seeded.candidate)
        assert (candidate.status, candidate.decided_by, candidate.note) == ("rejected", "user:wang", "两家")
    listed = wang.get("/api/review/candidates", params={"status": "rejected"}).json()
    assert [c["id"] for c in listed] == [site.seeded.candidate]


def test_finance_retries_dead_letters_and_ops_replay_quarantine(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")
    assert [m["id"] for m in zhao.get("/api/receivables/dead-letters").json()] == [site.seeded.dead_message]
    token = csrf_of(zhao.get("/receivables").text)
    asked = zhao.post("/receivables/dead-letters/retry-all", data={"csrf_token": token})
    assert asked.status_code == 200 and 'data-testid="confirm-page"' in asked.text  # asks first
    ids = {"id": str(site.seeded.dead_message), "confirm": "yes"}
    assert (
        zhao.post("/receivables/dead-letters/retry-all", data={"csrf_token": token, **ids}).status_code == 200
    )
    with session_scope(site.engine) as s:
        assert s.get_one(OutboxMessage, site.seeded.dead_message).status == "pending"
    assert zhao.get("/api/receivables/dead-letters").json() == []

    liu = client_for("liu")  # sales managers see quarantine, ops replay it
    assert liu.get("/api/leads/quarantine").json()["open"] == 1
    token = csrf_of(liu.get("/leads").text)
    assert liu.post("/leads/quarantine/replay", data={"csrf_token": token, "all": "1"}).status_code == 403
    chen = client_for("chen")
    token = csrf_of(chen.get("/leads").text)
    assert chen.post("/leads/quarantine/replay", data={"csrf_token": token}).status_code == 400  # none chosen
    done = chen.post(
        "/leads/quarantine/replay", data={"csrf_token": token, "id": str(site.seeded.quarantined)}
    )
    assert done.status_code == 200 and "1 条仍未通过" in done.text
    with session_scope(site.engine) as s:
        held = s.get_one(QuarantinedRecord, site.seeded.quarantined)
        assert held.attempts == 2
        entry = s.scalars(
            select(AuditLog).where(AuditLog.entity_type == "quarantined_record").order_by(AuditLog.seq.desc())
        ).first()
        assert entry is not None and entry.actor == "user:chen"


def test_funnel_by_source_and_territory(site: Site, client_for: ClientFor) -> None:
    report = client_for("liu").get("/api/leads/funnel", params={"days": 0}).json()
    assert report["total"]["counts"] == [10, 7, 4, 3, 2, 1]
    by_source = {r["key"]: r["counts"] for r in report["by_source"]}
    assert by_source == {"ocean-main": [6, 4, 3, 2, 1, 1], "官网表单": [4, 3, 1, 1, 1, 0]}
    territories = {r["key"]: r["counts"][0] for r in report["by_territory"]}
    assert territories == {"浙江一组": 4, "江苏组": 3, "浙江省": 1, "江苏省": 1, "未定位": 1}
    assert report["total"]["rates"][1] == pytest.approx(0.7)
    assert [m["source"] for m in report["source_mix"]] == ["ocean-main", "官网表单"]
    sla = client_for("chen").get("/api/leads/sla-breaches").json()
    assert (sla["open"], sla["escalated"]) == (3, 1)
    assert sla["late_contacts"] == 7  # contacted an hour after a deadline two hours ago


def test_receivables_by_contract_and_installment(site: Site, client_for: ClientFor) -> None:
    zhao = client_for("zhao")
    page = zhao.get("/api/receivables").json()
    assert page["total"] == 2
    first = next(c for c in page["contracts"] if c["number"] == "HT-2026-001")
    rows = {
        i["no"]: (i["pushed"], i["erp_number"], i["days_overdue"], i["paid_amount"])
        for i in first["installments"]
    }
    assert rows == {
        1: (True, "K-1", 0, "10000.00"),
        2: (True, "K-2", 12, "2000.00"),
        3: (False, None, 0, "0.00"),
    }
    assert first["max_days_overdue"] == 12
    assert [
        c["number"] for c in zhao.get("/api/receivables", params={"overdue_only": True}).json()["contracts"]
    ] == ["HT-2026-001"]
    assert zhao.get("/api/receivables", params={"q": "002"}).json()["total"] == 1
    assert zhao.get("/api/receivables", params={"q": "100%_"}).json()["total"] == 0


def test_audit_search_filters_and_history(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    entries = li.get("/api/audit/entries", params={"actor": "flow:", "limit": 5}).json()["entries"]
    assert entries and {e["actor"] for e in entries} == {"flow:pull-source/crimson-fox"}
    page = li.get("/api/audit/entries", params={"entity_type": "customer", "limit": 2}).json()
    assert len(page["entries"]) == 2 and page["next_before_seq"] == page["entries"][-1]["seq"]
    older = li.get(
        "/api/audit/entries", params={"entity_type": "customer", "before_seq": page["next_before_seq"]}
    )
    assert all(e["seq"] < page["next_before_seq"] for e in older.json()["entries"])
    assert li.get("/api/audit/entries", params={"since": "2999-01-01"}).json()["entries"] == []
    assert li.get("/audit", params={"since": "2024-02-30"}).status_code == 400
    history = li.get(f"/api/audit/history/customer/{site.seeded.golden}").json()
    insert = history[-1]
    assert insert["action"] == "insert"
    phone = next(r for r in insert["rows"] if r["field"] == "phone")
    assert phone["after"] == "+86138****5678"  # masked by audit.history
    verification = li.get("/api/audit/verification").json()
    assert verification["ok"] and verification["checkpoints"] == 1
    assert li.get("/api/audit/checkpoint").json()["seq"] >= 1


def test_the_bundle_download_over_http_is_a_zip_with_the_verifier(site: Site, client_for: ClientFor) -> None:
    li = client_for("li")
    answer = li.get("/audit/export", params={"from_seq": "1", "to_seq": ""})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert "attachment" in answer.headers["content-disposition"]
    assert li.get("/audit/export", params={"from_seq": "5", "to_seq": "2"}).status_code == 400
    assert li.get("/audit/export", params={"from_seq": "99999"}).status_code == 400  # empty range


@SQLITE_ONLY
def test_the_flows_page_survives_a_broken_schedules_file(
    site: Site, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.registry

    def broken(path: object = None) -> list[object]:
        raise ConfigError("job 'x': unknown flow 'nope'")

    monkeypatch.setattr(flows.registry, "load_jobs", broken)
    chen = client_for("chen")
    page = chen.get("/flows")
    assert page.status_code == 200 and "unknown flow" in page.text and "crimson-fox" in page.text
    assert "unknown flow" in chen.get("/api/flows/status").json()["schedules_error"]
