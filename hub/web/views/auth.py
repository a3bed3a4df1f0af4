"""Login, logout and the home page (which sends each user to their first page)."""

from __future__ import annotations

import logging
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from core.redact import mask_text
from hub.web.context import COOKIE, Viewer, base_path, console_of, viewer
from hub.web.forms import Form, posted, read_form
from hub.web.render import render
from hub.web.users import burn_time, verify_password

__all__ = ["router"]

log = logging.getLogger("synchub.web")
router = APIRouter(include_in_schema=False)
NONCE = "synchub_login"


def _safe_next(request: Request, target: str | None) -> str:
    base = base_path(request)
    if target and target.startswith(f"{base}/") and not target.startswith("//") and "\\" not in target:
        return target
    return f"{base}/"


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
        secure=console_of(request).settings.cookie_secure,
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
    name, password = form.get("username").lower()[:40], form.get("password")
    if not nonce or not console.signer.check_csrf(f"login:{nonce}", form.get("csrf_token")):
        return _login_page(request, secrets.token_hex(16), "登录表单已过期，请重新输入", 400, name)
    locked = console.limiter.locked_for(name)
    if locked:
        log.warning("console login refused for %r: locked for %.0f s", mask_text(name), locked)
        return _login_page(
            request, nonce, f"失败次数过多，账号已锁定，请 {int(locked // 60) + 1} 分钟后再试", 429, name
        )
    user = console.users.get(name)
    if user is None:
        burn_time(password)
    if user is None or user.disabled or not verify_password(password, user.password_hash):
        console.limiter.failed(name)
        log.warning("console login failed for %r", mask_text(name))  # a typo may be a phone
        return _login_page(request, nonce, "用户名或密码错误", 401, name)
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
        secure=console.settings.cookie_secure,
        path=f"{base_path(request)}/",
    )
    response.delete_cookie(NONCE, path=f"{base_path(request)}/")
    return response


@router.post("/logout")
def logout(
    request: Request, seen: Annotated[Viewer, Depends(viewer)], _: Annotated[Form, Depends(posted)]
) -> Response:
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
