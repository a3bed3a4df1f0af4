"""Jinja2 templates of the console: the environment, its filters and :func:`render`.

Times are shown in Beijing time (``hub.web.clock.beijing_text``), labelled: a column heading or the
sentence around a time says 北京时间 (the template global ``beijing``). Money with two decimals and
thousands separators. Templates autoescape everything; SVG charts arrive as
:class:`markupsafe.Markup` built by ``hub.web.charts``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from hub.web.clock import BEIJING_LABEL, beijing_text
from hub.web.context import Viewer, base_path, console_of
from hub.web.labels import label
from hub.web.users import ROLE_LABELS

__all__ = ["make_templates", "render"]


def _when(value: datetime | str | None, with_seconds: bool = False) -> str:
    """A stored (UTC) time as Beijing time; the page labels it (``beijing`` in the heading)."""
    return beijing_text(value, with_seconds)


def _day(value: date | None) -> str:
    return "—" if value is None else value.isoformat()


def _money(value: Decimal | float | int | None) -> str:
    return "—" if value is None else f"{Decimal(value):,.2f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 2 * 3600:
        return f"{seconds // 60} 分钟"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} 小时"
    return f"{seconds // 86400} 天"


def _show(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def make_templates() -> Environment:
    env = Environment(
        loader=PackageLoader("hub.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=_when, day=_day, money=_money, percent=_percent, duration=_duration, show=_show, label=label
    )
    env.globals["role_labels"] = ROLE_LABELS
    env.globals["beijing"] = BEIJING_LABEL
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page, with what every page shows: the user, their pages, the CSRF token, links."""
    console = console_of(request)
    seen = getattr(request.state, "viewer", None)
    page = console.templates.get_template(template).render(
        base=base_path(request),
        viewer=seen if isinstance(seen, Viewer) else None,
        request_id=getattr(request.state, "request_id", ""),
        flash=context.pop("flash", None),
        **context,
    )
    return HTMLResponse(page, status_code=status)
