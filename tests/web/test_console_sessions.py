"""The console's sessions over HTTP: CSRF on login and on every post, lockout after repeated failures,
sessions ended by disabling a user or changing the password, security headers and JSON errors."""

from __future__ import annotations

import json

import pytest

from core.models import MatchCandidate
from hub.web import UserStore
from hub.web.context import PAGES
from store.engine import session_scope
from tests.web.conftest import ClientFor, Site, csrf_of, login
from tests.web.seed import PASSWORD, PHONE

# sessions, CSRF and lockout do not touch the database's dialect: SQLite is enough for those
SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_login_lockout_after_repeated_failures(
    site: Site, client_for: ClientFor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="synchub.web")
    client = client_for()
    token = csrf_of(client.get("/login").text)
    client.post("/login", data={"username": PHONE, "password": PASSWORD, "csrf_token": token})
    assert "console login failed" in caplog.text and PHONE not in caplog.text
    for _ in range(5):
        token = csrf_of(client.get("/login").text)
        answer = client.post("/login", data={"username": "wang", "password": "nope", "csrf_token": token})
        assert answer.status_code == 401 and "用户名或密码错误" in answer.text
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "wang", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 429 and "已锁定" in answer.text
    login(client_for(), "li")  # other users are not locked
    assert PASSWORD not in caplog.text and "nope" not in caplog.text


@SQLITE_ONLY
def test_login_needs_its_csrf_token_and_refuses_unknown_and_disabled_users(
    site: Site, client_for: ClientFor
) -> None:
    client = client_for()
    client.get("/login")
    answer = client.post("/login", data={"username": "wang", "password": PASSWORD, "csrf_token": "forged"})
    assert answer.status_code == 400
    token = csrf_of(client.get("/login").text)
    assert (
        client.post(
            "/login", data={"username": "nobody", "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 401
    )
    UserStore(site.users_file).update("liu", disabled=True)
    token = csrf_of(client.get("/login").text)
    assert (
        client.post("/login", data={"username": "liu", "password": PASSWORD, "csrf_token": token}).status_code
        == 401
    )


@SQLITE_ONLY
def test_disabling_a_user_or_changing_the_password_ends_their_sessions(
    site: Site, client_for: ClientFor
) -> None:
    wang, zhao = client_for("wang"), client_for("zhao")
    assert wang.get("/api/me").json()["roles"] == ["admin"]
    UserStore(site.users_file).update("wang", disabled=True)
    assert wang.get("/api/me").status_code == 401
    UserStore(site.users_file).update("zhao", password="another good password")
    assert zhao.get("/api/me").status_code == 401
    login(client_for(), "zhao", "another good password")


@SQLITE_ONLY
def test_posts_need_the_sessions_csrf_token(site: Site, client_for: ClientFor) -> None:
    wang, other = client_for("wang"), client_for("wang")
    url = f"/review/candidates/{site.seeded.candidate}/approve"
    assert wang.post(url, data={}).status_code == 400
    foreign = csrf_of(other.get("/review").text)  # same user, another session
    assert wang.post(url, data={"csrf_token": foreign}).status_code == 400
    assert wang.post(url, content=b"{}", headers={"content-type": "application/json"}).status_code == 400
    with session_scope(site.engine) as s:
        assert s.get_one(MatchCandidate, site.seeded.candidate).status == "pending"


@SQLITE_ONLY
def test_security_headers_and_json_errors(site: Site, client_for: ClientFor) -> None:
    root = client_for("root")
    answer = root.get("/review")
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["cache-control"] == "no-store"
    missing = root.get("/api/review/candidates/999999")
    assert missing.status_code == 404 and "999999" in missing.json()["error"]
    assert root.get("/nowhere").status_code == 404
    assert root.get("/api/review/candidates", params={"limit": 0}).status_code == 422
    me = root.get("/api/me").json()
    assert me["pages"] == [p.key for p in PAGES]
    schema = root.get("/api/openapi.json").json()
    assert all(path.startswith("/api/") for path in schema["paths"])
    json.dumps(schema)
