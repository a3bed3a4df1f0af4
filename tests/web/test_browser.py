"""The console in a real browser: Debian's Chromium, headless, driven by Playwright, against the
console served by uvicorn on loopback (mounted at /console, as in production).

One server and one browser for the module (SQLite); each test logs in with its own browser context.
A screenshot of every page goes to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from audit.models import AuditLog
from core.models import Customer, Lead, MatchCandidate, OutboxMessage, Source
from core.serving import serve_in_thread
from hub.web import create_console_server
from hub.web.context import PAGES
from store.engine import make_engine, session_scope
from tests.web.conftest import ARTIFACTS, CHROMIUM, need
from tests.web.seed import PASSWORD, USERS, Seeded, seed, signing_settings, web_settings

SHOTS = ARTIFACTS / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Live:
    url: str
    engine: Any
    seeded: Seeded


@pytest.fixture(scope="module")
def live(
    sqlite_template: Path, users_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    need(
        CHROMIUM.exists(), f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)"
    )
    folder = tmp_path_factory.mktemp("console-live")
    db = Path(shutil.copyfile(sqlite_template, folder / "hub.db"))
    users = Path(shutil.copyfile(users_template, folder / "users.toml"))
    engine = make_engine(f"sqlite:///{db}")
    settings = signing_settings()
    seeded = seed(engine, settings)
    app = create_console_server(engine, users, web_settings(), settings)
    with serve_in_thread(app) as base:
        yield Live(f"{base}/console", engine, seeded)
    engine.dispose()


@pytest.fixture(scope="module")
def browser(live: Live) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "browser tests need the playwright package (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


Login = Callable[[str], Any]


@pytest.fixture(scope="module")
def sessions(browser: Any, live: Live) -> Iterator[dict[str, Any]]:
    """One logged-in page per user for the whole module: a login costs a scrypt and a context."""
    pages: dict[str, Any] = {}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture
def as_user(browser: Any, live: Live, sessions: dict[str, Any]) -> Login:
    """The page of a user logged in through the login form (once per module), at their home page."""

    def login(name: str) -> Any:
        page = sessions.get(name)
        if page is not None:
            page.goto(f"{live.url}/")
            return page
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live.url}/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=whoami]")
        sessions[name] = page
        return page

    return login


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_login_per_role_lands_on_the_roles_first_page(browser: Any, live: Live, as_user: Login) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live.url}/review")  # not logged in: to the login form, and back after it
    assert "/console/login" in page.url
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", "wrong password!")
    page.click("button[type=submit]")
    assert page.inner_text("[data-testid=login-error]") == "用户名或密码错误"
    shot(page, "login")
    context.close()
    first = {"wang": "review", "li": "audit", "zhao": "receivables", "chen": "leads", "liu": "leads"}
    for name, key in first.items():
        page = as_user(name)
        assert page.url.endswith(f"/console/{key}"), (name, page.url)
        assert page.inner_text("[data-testid=whoami]") == name.upper()
        allowed = {p.title for p in PAGES if p.roles & set(USERS[name])}
        assert set(page.locator("header nav a").all_inner_texts()) == allowed


def test_admin_approves_a_merge_and_the_auditor_sees_it_in_the_ledger(live: Live, as_user: Login) -> None:
    candidate = live.seeded.candidate
    admin = as_user("wang")
    shot(admin, "review")
    admin.click(f"[data-testid=open-{candidate}]")
    assert admin.locator("[data-testid=side-by-side] tr.diff").count() >= 1  # the differing fields
    assert admin.locator("[data-testid=explanation] tbody tr").count() == 8
    shot(admin, "review-candidate")
    admin.fill("form:has([data-testid=approve]) input[name=note]", "同一家，营业执照一致")
    admin.click("[data-testid=approve]")  # one click asks first: what will happen, to which customers
    assert admin.locator("[data-testid=confirm-page]").count() == 1
    listed = admin.inner_text("[data-testid=confirm-items]")
    assert "杭州智联医疗器械有限公司" in listed and "苏州智联医疗器械有限公司" in listed
    with session_scope(live.engine) as s:
        assert s.get_one(MatchCandidate, candidate).status == "pending"  # nothing done yet
    shot(admin, "review-confirm")
    admin.click("[data-testid=confirm]")
    assert admin.inner_text("[data-testid=flash]") == f"已合并候选 {candidate}"
    assert admin.locator(f"[data-candidate='{candidate}']").count() == 0

    auditor = as_user("li")
    auditor.goto(f"{live.url}/audit?action=merge&actor=user:wang")
    rows = auditor.locator("[data-testid=entries] tbody tr[data-action=merge]")
    assert rows.count() == 1
    assert "user:wang" in rows.first.inner_text() and "同一家，营业执照一致" in rows.first.inner_text()
    shot(auditor, "audit-search")
    rows.first.locator("a").click()
    assert auditor.locator("article[data-action=merge]").count() >= 1
    shot(auditor, "audit-history")
    with session_scope(live.engine) as s:
        entry = s.scalars(
            select(AuditLog).where(AuditLog.action == "merge", AuditLog.actor == "user:wang")
        ).one()
        assert entry.correlation_id and entry.correlation_id.startswith("web:")


def test_admin_unmerges_and_the_ledger_says_who(live: Live, as_user: Login) -> None:
    member = live.seeded.member
    admin = as_user("wang")
    admin.fill(f"form:has([data-testid=unmerge-{member}]) input[name=note]", "误合并")
    admin.click(f"[data-testid=unmerge-{member}]")
    assert admin.locator("[data-testid=confirm-page]").count() == 1  # asks first
    with session_scope(live.engine) as s:
        assert s.get_one(Customer, member).status == "merged"
    admin.click("[data-testid=confirm]")
    assert admin.inner_text("[data-testid=flash]") == f"已拆分客户 {member}"
    with session_scope(live.engine) as s:
        assert s.get_one(Customer, member).status == "active"
        entry = s.scalars(select(AuditLog).where(AuditLog.action == "unmerge")).one()
        assert (entry.actor, entry.reason) == ("user:wang", "误合并")


def test_every_page_is_forbidden_to_the_wrong_role(live: Live, as_user: Login) -> None:
    for name, roles in USERS.items():
        if name == "root":
            continue
        page = as_user(name)
        for target in PAGES:
            if target.roles & set(roles):
                continue  # their own pages: visited by the other tests
            answer = page.goto(f"{live.url}/{target.key}")
            assert answer.status == 403, (name, target.key)
            assert page.locator("[data-testid=error-403]").count() == 1
            assert page.locator("header nav a").count() == len([p for p in PAGES if p.roles & set(roles)])
    shot(page, "forbidden")


def test_the_auditor_verifies_the_chain_and_downloads_a_bundle_that_verifies(
    live: Live, as_user: Login, tmp_path: Path
) -> None:
    page = as_user("li")
    page.click("[data-testid=verify]")
    assert "全部校验通过" in page.inner_text("[data-testid=chain-ok]")
    assert page.locator("[data-testid=checkpoint] dd").count() == 4
    shot(page, "audit")
    with page.expect_download() as info:
        page.click("[data-testid=export]")
    download = info.value
    assert download.suggested_filename.startswith("synchub-audit-1-")
    archive = tmp_path / download.suggested_filename
    download.save_as(str(archive))
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(tmp_path / "unzipped")
    folder = next((tmp_path / "unzipped").iterdir())
    done = subprocess.run(
        [sys.executable, "verify.py"], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK:")


def test_finance_sees_receivables_and_retries_a_dead_letter(live: Live, as_user: Login) -> None:
    dead = live.seeded.dead_message
    page = as_user("zhao")
    overdue = page.locator("tr[data-installment='HT-2026-001-2'] [data-testid=overdue]").inner_text()
    assert overdue == "12"
    shot(page, "receivables")
    page.click(f"[data-testid=retry-{dead}]")
    assert "已重新排队 1 条推送" in page.inner_text("[data-testid=flash]")
    with session_scope(live.engine) as s:
        assert s.get_one(OutboxMessage, dead).status == "pending"
        entry = s.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == "outbox_message", AuditLog.entity_id == str(dead))
            .order_by(AuditLog.seq.desc())
        ).first()
        assert entry is not None and entry.actor == "user:zhao"


def test_ops_see_the_funnel_and_flows_and_replay_quarantine(live: Live, as_user: Login) -> None:
    manager = as_user("liu")
    assert manager.locator("[data-testid=replay-selected]").count() == 0  # sales managers only read
    ops = as_user("chen")
    assert ops.locator("[data-testid=funnel] svg").count() == 1
    assert ops.locator("[data-testid=source-mix] svg").count() == 1
    shot(ops, "leads")
    ops.check(f"tr[data-quarantine='{live.seeded.quarantined}'] input[type=checkbox]")
    ops.click("[data-testid=replay-selected]")
    assert ops.inner_text("[data-testid=flash]") == "重放完成：0 条已入库，1 条仍未通过"
    ops.goto(f"{live.url}/flows")
    assert "crimson-fox" in ops.inner_text("[data-testid=runs]")
    assert ops.locator("[data-testid=runs] a[href^='http://prefect.test:4200/runs/flow-run/']").count() == 1
    shot(ops, "flows")


LONG_SOURCE = "expo-2026-shanghai-medical-device-fair-autumn-booth"


def test_a_long_source_label_is_shown_whole_in_the_chart(live: Live, as_user: Login) -> None:
    with session_scope(live.engine) as s:
        source = Source(name=LONG_SOURCE, kind="excel")
        s.add(source)
        s.flush()
        s.add(Lead(source_id=source.id, external_id="expo-1", company="展会客户", stage="new"))
    ops = as_user("chen")
    ops.goto(f"{live.url}/leads")
    label = ops.locator(f"[data-testid=source-mix] svg text.label[data-label='{LONG_SOURCE}']")
    assert label.count() == 1
    shown = "".join(label.locator("tspan").all_text_contents())
    assert shown == LONG_SOURCE  # every character, over as many lines as it takes
    chart = ops.locator("[data-testid=source-mix] svg").bounding_box()
    for line in label.locator("tspan").all():
        box = line.bounding_box()
        assert box is not None and chart is not None
        assert box["x"] >= chart["x"] - 0.5 and box["x"] + box["width"] <= chart["x"] + chart["width"] + 0.5
    assert label.locator("title").text_content() == LONG_SOURCE  # and whole in the tooltip
    shot(ops, "leads-long-label")
