"""Login, logout and the home page (which sends each user to their first page)."""

from __future__ import annotations

import logging
import secrets
from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from core.redact import mask_text
from hub.web.context import COOKIE, Console, Viewer, base_path, client, console_of, viewer
from hub.web.forms import Form, posted, read_form
from hub.web.login import LoginBusy
from hub.web.passwords import hash_password, needs_upgrade, verify_password
from hub.web.render import render
from hub.web.users import User, burn_time

__all__ = ["router"]

log = logging.getLogger("synchub.web")
router = APIRouter(include_in_schema=False)
NONCE = "synchub_login"


def _safe_next(request: Request, target: str | None) -> str:
    base = base_path(request)
    if target and target.startswith(f"{base}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{base}/"


def _secure(request: Request) -> bool:
    """Secure cookies when configured, or when the request came over HTTPS (a trusted proxy may say so)."""
    return console_of(request).settings.cookie_secure or client(request).https


def _check(user: User | None, password: str) -> bool:
    """The password check, same cost whoever asks: unknown and disabled users are hashed too, so the
    answer's timing does not tell which names exist or are disabled. Runs in the login pool."""
    if user is None:
        burn_time(password)
        return False
    return verify_password(password, user.password_hash) and not user.disabled


def _upgrade(console: Console, user: User, password: str) -> User:
    """Rewrite an old (scrypt) hash as argon2id now that the password is known; runs in the pool."""
    try:
        upgraded = console.users.upgrade_hash(user.name, user.password_hash, hash_password(password))
    except OSError as exc:  # a read-only users file: the login still succeeds
        log.warning("password hash of %s not upgraded: %s", user.name, exc)
        return user
    if upgraded is not None:
        log.info("password hash of %s upgraded to argon2id", user.name)
    return upgraded or user


def _login_page(request: Request, nonce: str, error: str | None, status: int, name: str = "") -> Response:
    token = console_of(request).signer.csrf_token(f"login:{nonce}")
    nxt = _safe_next(request, request.query_params.get("next"))
    response = render(request, "login.html", status, csrf=token, error=error, name=name, next=nxt)
    response.set_cookie(
        NONCE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="strict",
        path=f"{base_path(request)}/",
        secure=_secure(request),
    )
    return response


@router.get("/login")
def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    return _login_page(request, request.cookies.get(NONCE) or secrets.token_hex(16), None, 200)


@router.post("/login")
async def login(request: Request) -> Response:
    console = console_of(request)
    form = await read_form(request)
    nonce = request.cookies.get(NONCE)
    name, password = form.get("username").lower()[:40], form.get("password")[:1024]
    if not nonce or not console.signer.check_csrf(f"login:{nonce}", form.get("csrf_token")):
        return _login_page(request, secrets.token_hex(16), "登录表单已过期，请重新输入", 400, name)
    address = client(request).address
    blocked = console.throttle.blocked_for(address)
    locked = blocked or console.limiter.locked_for(name)
    if locked:
        log.warning(
            "console login refused for %r from %s: locked for %.0f s", mask_text(name), address, locked
        )
        return _login_page(
            request, nonce, f"失败次数过多，账号已锁定，请 {int(locked // 60) + 1} 分钟后再试", 429, name
        )
    user = console.users.get(name)
    try:
        ok = await console.gate.run(_check, user, password)
    except LoginBusy:
        log.warning("console login for %r from %s refused: too many logins at once", mask_text(name), address)
        answer = _login_page(request, nonce, "登录请求过多，请稍后再试", 503, name)
        answer.headers["retry-after"] = "5"
        return answer
    if not ok or user is None:
        console.limiter.failed(name)
        console.throttle.failed(address)
        log.warning("console login failed for %r from %s", mask_text(name), address)  # a typo may be a phone
        return _login_page(request, nonce, "用户名或密码错误", 401, name)
    if needs_upgrade(user.password_hash):
        with suppress(LoginBusy):  # busy: upgraded at a later login
            user = await console.gate.run(_upgrade, console, user, password)
    console.limiter.succeeded(name)
    log.info("console login: %s", name)
    target = _safe_next(request, form.get("next"))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        console.signer.issue(user.name, user.stamp),
        max_age=int(console.signer.max_age_s),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path=f"{base_path(request)}/",
    )
    response.delete_cookie(NONCE, path=f"{base_path(request)}/")
    return response


@router.post("/logout")
def logout(
    request: Request, seen: Annotated[Viewer, Depends(viewer)], _: Annotated[Form, Depends(posted)]
) -> Response:
    console = console_of(request)
    console.revoked.revoke(seen.session.sid, until=seen.session.issued_at + console.signer.max_age_s + 60)
    log.info("console logout: %s", seen.user.name)
    response = RedirectResponse(f"{base_path(request)}/login", status_code=303)
    response.delete_cookie(COOKIE, path=f"{base_path(request)}/")
    return response


@router.get("/")
def home(request: Request, seen: Annotated[Viewer, Depends(viewer)]) -> Response:
    pages = seen.pages()
    if pages:
        return RedirectResponse(f"{base_path(request)}/{pages[0].key}", status_code=303)
    return render(request, "home.html")
