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
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from hub.web.clock import BEIJING_LABEL, beijing_text
from hub.web.context import Viewer, base_path, console_of
from hub.web.labels import ENTITIES, LABELS, entity, field, label, reason, value
from hub.web.users import ROLE_LABELS

__all__ = ["DAY_INPUT", "export_href", "make_templates", "render"]

# A date typed as yyyy-mm-dd whatever the browser's locale (``type="date"`` shows mm/dd/yyyy to some)
DAY_INPUT = Markup(
    'inputmode="numeric" pattern="\\d{4}-\\d{2}-\\d{2}" maxlength="10" autocomplete="off" '
    'placeholder="如 2026-12-07" title="日期格式：年-月-日（yyyy-mm-dd）"'
)


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


_NOT_FILTERS = frozenset({"offset", "before_seq", "limit", "retried", "replayed", "failing", "done", "id"})


def export_href(base: str, name: str, query: str) -> str:
    """The Excel export of a list page (``/exports/NAME.xlsx``, ``hub.web.views.exports``) with the
    page's filters: its query string without paging or the flash of a previous action."""
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in _NOT_FILTERS]
    return f"{base}/exports/{name}.xlsx" + (f"?{urlencode(kept)}" if kept else "")


def make_templates() -> Environment:
    env = Environment(
        loader=PackageLoader("hub.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=_when, day=_day, money=_money, percent=_percent, duration=_duration, show=_show, label=label,
        entity=entity, field=field, value=value, reason=reason,
    )  # fmt: skip
    env.globals["role_labels"] = ROLE_LABELS
    env.globals["beijing"] = BEIJING_LABEL
    env.globals["day_input"] = DAY_INPUT
    env.globals["export_href"] = export_href
    env.globals["catalogue"] = {"entities": ENTITIES, "actions": LABELS["action"]}
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page, with what every page shows: the user, their pages, the CSRF token, links."""
    console = console_of(request)
    seen = getattr(request.state, "viewer", None)
    page = console.templates.get_template(template).render(
        base=base_path(request),
        viewer=seen if isinstance(seen, Viewer) else None,
        request_id=getattr(request.state, "request_id", ""),
        query_string=request.url.query,
        flash=context.pop("flash", None),
        **context,
    )
    return HTMLResponse(page, status_code=status)
