"""The confirmation step of the console's heavy actions (merge, unmerge, retry every dead push).

The action's own URL answers a POST without ``confirm=yes`` with a page that says what will happen
(:class:`hub.web.data.confirm.Preview`) and a second form, CSRF-protected like every other, that posts
the same URL again with ``confirm=yes``: a single click, or a replayed form, never acts.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from hub.web.context import base_path, route_path
from hub.web.data.confirm import Preview
from hub.web.forms import Form
from hub.web.render import render

__all__ = ["ask", "confirmed"]


def confirmed(form: Form) -> bool:
    return form.get("confirm") == "yes"


def ask(request: Request, preview: Preview, form: Form, button: str, back: str) -> Response:
    """The page asking to confirm ``preview``; its form posts this same URL with ``confirm=yes``."""
    base = base_path(request)
    return render(
        request,
        "confirm.html",
        preview=preview,
        action=f"{base}{route_path(request)}",
        note=form.note(),
        button=button,
        back=f"{base}{back}",
    )
