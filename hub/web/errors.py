"""How the console answers when something is wrong: pages get an error page, the JSON API JSON.

401 (no session: pages redirect to the login form), 403 (wrong role), 404, 400 / 422 (bad input),
503 (the hub is not configured for it, e.g. no ledger signing key), 500 (logged with the request id).
"""

from __future__ import annotations

import logging
import traceback
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from core.errors import InputError, NotFoundError, SyncHubError
from core.redact import mask_text
from hub.web.context import Forbidden, LoginRequired, base_path, is_api
from hub.web.render import render
from hub.web.users import ROLE_LABELS

__all__ = ["install_error_handlers"]

log = logging.getLogger("synchub.web")
TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权访问",
    404: "页面不存在",
    405: "不支持的操作",
    422: "参数有误",
}


def _answer(request: Request, status: int, message: str) -> Response:
    request_id = getattr(request.state, "request_id", "")
    if is_api(request):
        return JSONResponse({"error": message, "request_id": request_id}, status_code=status)
    title = TITLES.get(status, "出错了" if status >= 500 else "请求有误")
    return render(request, "error.html", status, title=title, message=message, code=status)


async def _login_required(request: Request, exc: Exception) -> Response:
    if is_api(request):
        return _answer(request, 401, "not logged in")
    if request.method != "GET":  # a form posted after the session ended: start again from home
        return RedirectResponse(f"{base_path(request)}/login", status_code=303)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{base_path(request)}/login?next={quote(here, safe='/')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    roles = exc.roles if isinstance(exc, Forbidden) else frozenset()
    needed = "、".join(ROLE_LABELS.get(r, r) for r in sorted(roles))
    return _answer(request, 403, f"此页面仅限以下角色：{needed}")


async def _hub_error(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, InputError) else 503
    if status == 503:
        request_id = getattr(request.state, "request_id", "")
        log.warning("console request %s: %s", request_id, mask_text(str(exc)))
        if getattr(request.state, "viewer", None) is None:  # anonymous: no paths or settings, only the id
            return _answer(request, 503, f"服务暂不可用，请联系管理员（请求编号 {request_id}）")
    return _answer(request, status, mask_text(str(exc)))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return _answer(request, status, TITLES.get(status, "请求有误"))


async def _invalid(request: Request, exc: Exception) -> Response:
    if is_api(request) and isinstance(exc, RequestValidationError):
        return await request_validation_exception_handler(request, exc)
    problems = exc.errors() if isinstance(exc, RequestValidationError) else []
    fields = "、".join(str(p.get("loc", ["?"])[-1]) for p in problems) or "?"
    return _answer(request, 400, f"参数不正确：{fields}")


async def _crash(request: Request, exc: Exception) -> Response:
    request_id = getattr(request.state, "request_id", "")
    trace = mask_text("".join(traceback.format_exception(exc)))  # SQL parameters may hold phone numbers
    log.error("console request %s failed:\n%s", request_id, trace)
    return _answer(request, 500, f"服务器内部错误（请求编号 {request_id}）")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(SyncHubError, _hub_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _crash)
