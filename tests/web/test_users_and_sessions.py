"""Users file, password hashes, signed sessions, lockout, charts and the ``synchub users`` commands."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError
from typer.testing import CliRunner

from core.errors import ConfigError, InputError, NotFoundError
from hub.cli.web import users_app
from hub.web import UserStore, WebSettings, create_web_app, hash_password, verify_password
from hub.web.charts import bar_chart, freshness_chart, funnel_chart
from hub.web.passwords import needs_upgrade
from hub.web.security import LoginLimiter, Signer
from store.engine import make_engine

# a hash written before argon2id, of "a long password": it still verifies, and is upgraded at login
LEGACY_SCRYPT = "scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==$AE6jbObbk/kUX7b5XElg0gyBJtT242bxaOiwhs2+/Vk="


def test_password_hashes_are_salted_argon2id_and_old_scrypt_ones_still_verify() -> None:
    first, second = hash_password("a long password"), hash_password("a long password")
    assert first != second and first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("a long password", first) and not verify_password("a long passwore", first)
    assert not verify_password("x", "md5$abc") and not verify_password("x", "garbage")
    assert verify_password("a long password", LEGACY_SCRYPT)
    assert not verify_password("a long passwore", LEGACY_SCRYPT)
    assert needs_upgrade(LEGACY_SCRYPT) and not needs_upgrade(first)


def test_the_users_file_is_private_has_no_passwords_and_is_reread(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    store = UserStore(path)
    store.add("zhang.wei", ["admin", "auditor"], "first password!", display_name='张伟 "老张"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "first password!" not in path.read_text(encoding="utf-8")
    other = UserStore(path)  # another process, e.g. the running console
    assert other.get("zhang.wei") is not None and other.get("zhang.wei").display_name == '张伟 "老张"'  # type: ignore[union-attr]
    store.update("zhang.wei", disabled=True)
    assert other.get("zhang.wei").disabled  # type: ignore[union-attr]
    with pytest.raises(InputError, match="exists already"):
        store.add("zhang.wei", ["admin"], "another password")
    with pytest.raises(InputError, match="roles must be"):
        store.add("li", ["root"], "another password")
    with pytest.raises(InputError, match="at least 10"):
        store.add("li", ["ops"], "short")
    with pytest.raises(InputError, match="user name"):
        store.add("Li Lei", ["ops"], "another password")
    with pytest.raises(NotFoundError):
        store.update("nobody", disabled=True)
    path.write_text("[users.x]\nroles = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid users file"):
        other.get("x")


def test_sessions_are_signed_expire_and_carry_no_roles() -> None:
    signer = Signer("s" * 32, max_age_s=3600)
    cookie = signer.issue("wang", "stamp", now=1_000_000)
    session = signer.read(cookie, now=1_000_100)
    assert session is not None and (session.user, session.stamp) == ("wang", "stamp")
    assert signer.read(cookie, now=1_000_000 + 3601) is None  # expired
    assert Signer("t" * 32, 3600).read(cookie, now=1_000_100) is None  # another secret
    payload, mac = cookie.split(".")
    assert signer.read(f"{payload[:-2]}xx.{mac}", now=1_000_100) is None  # tampered
    assert signer.read("garbage", now=1_000_100) is None and signer.read(None) is None
    assert signer.check_csrf(session.sid, signer.csrf_token(session.sid))
    assert not signer.check_csrf(session.sid, signer.csrf_token("another")) and not signer.check_csrf(
        "s", None
    )


def test_lockout_after_failures_in_a_row_until_it_expires() -> None:
    limiter = LoginLimiter(failures=3, lock_s=60)
    for t in (0.0, 1.0):
        limiter.failed("wang", now=t)
    assert limiter.locked_for("wang", now=2.0) == 0
    limiter.failed("wang", now=2.0)
    assert limiter.locked_for("wang", now=3.0) == pytest.approx(59)
    assert limiter.locked_for("li", now=3.0) == 0
    assert limiter.locked_for("wang", now=63.0) == 0  # expired: a fresh start
    limiter.failed("li", now=0.0)
    limiter.succeeded("li")
    assert limiter.locked_for("li", now=1.0) == 0


def test_the_console_needs_a_long_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SYNCHUB_WEB_SECRET"):
        create_web_app(make_engine(f"sqlite:///{tmp_path}/hub.db"), settings=WebSettings())
    with pytest.raises(ValidationError, match="at least 32"):
        WebSettings(secret=SecretStr("short"))


def test_charts_escape_text_and_draw_empty_data() -> None:
    evil = "<script>alert(1)</script>"
    for svg in (
        funnel_chart([evil, "b"], [3, 1]),
        bar_chart([(evil, 3, 1.0)]),
        freshness_chart([(evil, None, 60), ("ok", 30.0, 60)]),
    ):
        assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
    assert "暂无数据" in bar_chart([]) and "暂无来源" in freshness_chart([])
    assert "(—)" in funnel_chart(["a", "b"], [0, 0])


def test_users_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "users.toml"
    monkeypatch.setenv("SYNCHUB_WEB_USERS_FILE", str(path))
    runner = CliRunner()
    added = runner.invoke(
        users_app,
        ["add", "zhao", "--role", "finance", "--display-name", "赵敏", "--password-stdin"],
        input="a good password\n",
    )
    assert added.exit_code == 0, added.output
    assert "a good password" not in added.output
    listed = runner.invoke(users_app, ["list"])
    assert "zhao" in listed.output and "finance" in listed.output and "argon2" not in listed.output
    before = UserStore(path).get("zhao")
    assert (
        runner.invoke(users_app, ["passwd", "zhao", "--password-stdin"], input="a new password!\n").exit_code
        == 0
    )
    after = UserStore(path).get("zhao")
    assert (
        before
        and after
        and before.stamp != after.stamp
        and verify_password("a new password!", after.password_hash)
    )
    assert runner.invoke(users_app, ["disable", "zhao"]).exit_code == 0
    assert UserStore(path).get("zhao").disabled  # type: ignore[union-attr]
    assert runner.invoke(users_app, ["enable", "zhao"]).exit_code == 0
    failed = runner.invoke(
        users_app, ["add", "x", "--role", "boss", "--password-stdin"], input="a good password\n"
    )
    assert failed.exit_code == 1 and "roles must be" in failed.output
    assert (
        runner.invoke(
            users_app, ["passwd", "nobody", "--password-stdin"], input="a good password\n"
        ).exit_code
        == 1
    )


def test_browser_tests_skip_without_chromium_but_fail_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.web.conftest import need

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        need(False, "no chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        need(False, "no chromium")
    need(True, "never said")
