"""Console sessions after issue 18 (finding 9): a cookie is dead after logout (in every process and
after a restart), cookies are Secure over HTTPS or behind a trusted proxy only, old scrypt hashes
become argon2id at login, and a broken users file shows anonymous visitors no path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from hub.web import UserStore, create_web_app
from hub.web.context import COOKIE
from hub.web.security import Signer
from tests.web.conftest import ClientFor, Site, csrf_of, login
from tests.web.seed import PASSWORD, SECRET, signing_settings, web_settings
from tests.web.test_users_and_sessions import LEGACY_SCRYPT

SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_a_cookie_copied_before_logout_is_refused_after_it_everywhere(
    site: Site, client_for: ClientFor
) -> None:
    wang, elsewhere = client_for("wang"), client_for("wang")  # two sessions of one user
    stolen = wang.cookies.get(COOKIE)
    assert stolen and wang.get("/api/me").status_code == 200
    assert wang.post("/logout", data={"csrf_token": csrf_of(wang.get("/review").text)}).status_code == 200
    replay = TestClient(site.app, cookies={COOKIE: stolen})
    assert replay.get("/api/me").status_code == 401  # before: valid for the rest of its 8 hours
    assert elsewhere.get("/api/me").status_code == 200  # only that session ended
    restarted = create_web_app(site.engine, site.users_file, web_settings(), site.hub_settings)  # or a worker
    assert TestClient(restarted, cookies={COOKIE: stolen}).get("/api/me").status_code == 401
    assert (site.users_file.parent / "web_revoked_sessions.json").stat().st_mode & 0o077 == 0


def _login_cookie(client: TestClient) -> str:
    form = client.get("/login")
    nonce = form.cookies.get("synchub_login") or re.findall(r"synchub_login=(\w+)", str(form.headers))[0]
    client.cookies.clear()  # sent by hand: httpx keeps a Secure cookie off plain http (the proxy's leg)
    answer = client.post(
        "/login",
        data={"username": "wang", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
        headers={"Cookie": f"synchub_login={nonce}"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookies: list[str] = answer.headers.get_list("set-cookie")
    return next(c for c in cookies if c.startswith(COOKIE))


@SQLITE_ONLY
def test_cookies_are_secure_over_https_or_behind_a_trusted_proxy_only(site: Site) -> None:
    https = {"X-Forwarded-Proto": "https"}
    cases = [  # (peer, base URL, headers, secure?)
        ("127.0.0.1", "http://testserver", https, True),  # the TLS proxy in front, trusted by default
        ("198.51.100.7", "http://testserver", https, False),  # anyone else saying so is not believed
        ("127.0.0.1", "http://testserver", {}, False),  # the proxy forwarding plain HTTP
        ("198.51.100.7", "https://testserver", {}, True),  # TLS straight to uvicorn
    ]
    for peer, base, headers, secure in cases:
        client = TestClient(site.app, base_url=base, client=(peer, 40000), headers=headers)
        cookie = _login_cookie(client)
        assert ("; secure" in cookie.lower()) is secure, (peer, base, headers, cookie)
    untrusted = create_web_app(
        site.engine, site.users_file, web_settings(trusted_proxies=[]), site.hub_settings
    )
    cookie = _login_cookie(TestClient(untrusted, client=("127.0.0.1", 40000), headers=https))
    assert "; secure" not in cookie.lower()


@SQLITE_ONLY
def test_an_old_scrypt_hash_becomes_argon2id_at_login(site: Site, client_for: ClientFor) -> None:
    users = UserStore(site.users_file)
    old = users.get("li")
    assert old and users.upgrade_hash("li", old.password_hash, LEGACY_SCRYPT)  # as written before argon2id
    login(client_for(), "li", "a long password")
    upgraded = UserStore(site.users_file).get("li")
    assert upgraded and upgraded.password_hash.startswith("$argon2id$")
    assert "scrypt" not in site.users_file.read_text(encoding="utf-8")
    me = login(client_for(), "li", "a long password").get("/api/me")
    assert me.status_code == 200 and me.json()["roles"] == ["auditor"]


@SQLITE_ONLY
def test_a_broken_users_file_shows_anonymous_visitors_no_path(
    store: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    users = tmp_path / "secret-place" / "users.toml"
    users.parent.mkdir()
    users.write_text("[users.x]\nroles = 1\n", encoding="utf-8")
    client = TestClient(create_web_app(store, users, web_settings(), signing_settings()))
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": "x", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 503 and "请求编号" in answer.text
    assert "secret-place" not in answer.text and "users.toml" not in answer.text
    assert str(users) in caplog.text  # the operator finds it in the server log
    client.cookies.set(COOKIE, Signer(SECRET, 3600).issue("x", "stamp"))  # a session from before it broke
    api = client.get("/api/me")
    assert api.status_code == 503 and "users.toml" not in api.text and api.json()["request_id"]
