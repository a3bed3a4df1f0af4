"""Charts as SVG drawn on the server: no JavaScript, nothing fetched, text escaped.

Colours are presentation attributes (not ``style``), so the console's Content-Security-Policy can
forbid inline styles. Labels are never cut: the label column is as wide as the longest label needs (up
to :data:`MAX_LABEL_W`), a longer label wraps onto more lines and its row grows, and every label carries
its whole text as a tooltip (``<title>``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["bar_chart", "freshness_chart", "funnel_chart", "text_width", "wrap"]

WIDTH = 720
ROW = 34
LINE = 15  # px between the lines of a wrapped label
MIN_LABEL_W, MAX_LABEL_W = 90, 240
FONT = 13
BLUE, GREY, RED, GREEN = "#2f6fdf", "#e6e9ef", "#d9534f", "#3c9a5f"
_BREAK_AFTER = frozenset(" -_/.·、，）)")


def text_width(text: str) -> float:
    """Width of ``text`` in px at 13 px sans-serif, on the generous side (wide characters: one em)."""
    return sum(FONT if ord(ch) > 0x2E7F else FONT * 0.62 for ch in text)


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, broken after a separator when one is near; no
    character is dropped (``"".join(wrap(t, w)) == t``)."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and text_width(line + ch) > width:
            cut = max((i for i, c in enumerate(line) if c in _BREAK_AFTER), default=-1)
            if cut >= len(line) // 2:  # break after the separator, carry the rest over
                lines.append(line[: cut + 1])
                line = line[cut + 1 :]
            else:
                lines.append(line)
                line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


@dataclass(frozen=True)
class _Layout:
    label_w: float
    rows: list[tuple[float, float, list[str]]]  # (top, height, label lines) per item
    height: float


def _layout(labels: Sequence[str]) -> _Layout:
    widest = max((text_width(t) for t in labels), default=0.0)
    label_w = min(max(math.ceil(widest) + 16, MIN_LABEL_W), MAX_LABEL_W)
    rows, top = [], 6.0
    for text in labels:
        lines = wrap(text, label_w - 16)
        height = max(ROW, LINE * len(lines) + 14)
        rows.append((top, float(height), lines))
        top += height
    return _Layout(label_w, rows, top + 6)


def _svg(height: float, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="{FONT}"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = "#222") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'


def _label(layout: _Layout, top: float, height: float, lines: list[str], full: str) -> str:
    """A row's label, right-aligned before the bar, its lines centred on the bar, whole as a tooltip."""
    x = layout.label_w - 10
    first = top + (height - 8) / 2 - (len(lines) - 1) * LINE / 2 + 5
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * LINE:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text class="label" text-anchor="end" fill="#222" data-label="{escape(full)}">'
        f"<title>{escape(full)}</title>{spans}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" rx="3" fill="{fill}"/>'


def funnel_chart(labels: Sequence[str], counts: Sequence[int], title: str = "线索漏斗") -> Markup:
    """Centred bars, one per stage, with the count and the conversion from the stage before."""
    layout = _layout(labels)
    span = WIDTH - layout.label_w - 110
    top = max(counts, default=0) or 1
    body = []
    for i, ((y, h, lines), label, n) in enumerate(zip(layout.rows, labels, counts, strict=True)):
        w = max(span * n / top, 2.0)
        x = layout.label_w + (span - w) / 2
        body.append(_label(layout, y, h, lines, label))
        body.append(_rect(x, y + (h - ROW) / 2, w, ROW - 8, BLUE if n else GREY))
        rate = "" if i == 0 else (f" ({n / counts[i - 1] * 100:.0f}%)" if counts[i - 1] else " (—)")
        body.append(_text(layout.label_w + span + 8, y + h / 2 + 1, f"{n}{rate}"))
    return _svg(layout.height, title, body)


def bar_chart(items: Sequence[tuple[str, int, float]], unit: str = "", title: str = "来源构成") -> Markup:
    """Horizontal bars of (label, value, share of the total)."""
    layout = _layout([label for label, _, _ in items])
    span = WIDTH - layout.label_w - 130
    top = max((v for _, v, _ in items), default=0) or 1
    body = []
    for (y, h, lines), (label, value, share) in zip(layout.rows, items, strict=True):
        bar_y = y + (h - ROW) / 2
        body.append(_label(layout, y, h, lines, label))
        body.append(_rect(layout.label_w, bar_y, span, ROW - 8, GREY))
        body.append(_rect(layout.label_w, bar_y, span * value / top, ROW - 8, BLUE))
        body.append(_text(layout.label_w + span + 8, y + h / 2 + 1, f"{value} {unit} · {share * 100:.1f}%"))
    if not items:
        body.append(_text(WIDTH / 2, 24, "暂无数据", "middle", "#888"))
    return _svg(max(layout.height, ROW + 12), title, body)


def freshness_chart(
    items: Sequence[tuple[str, float | None, int | None]], title: str = "各来源距上次到数"
) -> Markup:
    """Per source, the silence so far against its expected interval (the tick); red when past it."""
    layout = _layout([label for label, _, _ in items])
    span = WIDTH - layout.label_w - 150
    longest = max([max(s or 0, e or 0) for _, s, e in items] + [1.0])
    body = []
    for (y, h, lines), (label, silent, expected) in zip(layout.rows, items, strict=True):
        bar_y = y + (h - ROW) / 2
        body.append(_label(layout, y, h, lines, label))
        body.append(_rect(layout.label_w, bar_y, span, ROW - 8, GREY))
        stale = silent is None or (expected is not None and silent > expected)
        if silent is not None:
            width = span * min(silent, longest) / longest
            body.append(_rect(layout.label_w, bar_y, width, ROW - 8, RED if stale else GREEN))
        if expected is not None:
            x = layout.label_w + span * expected / longest
            body.append(
                f'<line x1="{x:.1f}" y1="{bar_y - 2:.1f}" x2="{x:.1f}" y2="{bar_y + ROW - 6:.1f}" '
                'stroke="#222" stroke-width="2"/>'
            )
        note = "从未到数" if silent is None else f"{silent / 60:.0f} 分钟前"
        body.append(
            _text(layout.label_w + span + 8, y + h / 2 + 1, note, fill=RED if stale and expected else "#222")
        )
    if not items:
        body.append(_text(WIDTH / 2, 24, "暂无来源", "middle", "#888"))
    return _svg(max(layout.height, ROW + 12), title, body)
