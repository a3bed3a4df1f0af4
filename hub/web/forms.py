"""Posted forms: ``application/x-www-form-urlencoded`` bodies, size-capped, CSRF-checked.

Parsed here with the standard library, so the console needs no multipart parser: its forms carry
short text fields only.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import Request

from core.errors import InputError
from hub.web.context import console_of, viewer

__all__ = ["CsrfError", "Form", "posted", "read_form"]

MAX_FORM_BYTES = 64 * 1024


class CsrfError(InputError):
    """The form's CSRF token is missing or wrong (an old tab, or a forged request)."""


class Form:
    def __init__(self, fields: dict[str, list[str]]) -> None:
        self._fields = fields

    def get(self, name: str, default: str = "") -> str:
        values = self._fields.get(name)
        return values[0].strip() if values else default

    def ints(self, name: str) -> list[int]:
        """Every value of a repeated field (checkboxes) that is a positive integer."""
        return sorted({int(v) for v in self._fields.get(name, []) if v.isdigit() and 0 < int(v) < 2**31})

    def note(self, name: str = "note") -> str | None:
        text = self.get(name)[:500]
        return text or None


async def read_form(request: Request) -> Form:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        raise InputError("表单格式不对（需要 application/x-www-form-urlencoded）")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise InputError("表单太大")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("表单不是 UTF-8 编码") from None
    return Form(parse_qs(text, keep_blank_values=True, max_num_fields=1000))


async def posted(request: Request) -> Form:
    """A dependency for every POST of a logged-in user: the form, once its CSRF token checks out."""
    seen = viewer(request)
    form = await read_form(request)
    if not console_of(request).signer.check_csrf(seen.session.sid, form.get("csrf_token")):
        raise CsrfError("表单已过期或来源不明，请刷新页面后重试")
    return form
