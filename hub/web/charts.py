"""Charts as SVG drawn on the server: no JavaScript, nothing fetched, text escaped.

Colours are presentation attributes (not ``style``), so the console's Content-Security-Policy can
forbid inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["bar_chart", "freshness_chart", "funnel_chart"]

WIDTH = 720
ROW = 34
LABEL_W = 150
BLUE, GREY, RED, GREEN = "#2f6fdf", "#e6e9ef", "#d9534f", "#3c9a5f"


def _svg(height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" font-family="sans-serif" '
        f'font-size="13"><title>{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = "#222") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" rx="3" fill="{fill}"/>'


def funnel_chart(labels: Sequence[str], counts: Sequence[int], title: str = "线索漏斗") -> Markup:
    """Centred bars, one per stage, with the count and the conversion from the stage before."""
    span = WIDTH - LABEL_W - 110
    top = max(counts, default=0) or 1
    body = []
    for i, (label, n) in enumerate(zip(labels, counts, strict=True)):
        y = 6 + i * ROW
        w = max(span * n / top, 2.0)
        x = LABEL_W + (span - w) / 2
        body.append(_text(LABEL_W - 10, y + 19, label, "end"))
        body.append(_rect(x, y, w, ROW - 8, BLUE if n else GREY))
        rate = "" if i == 0 else (f" ({n / counts[i - 1] * 100:.0f}%)" if counts[i - 1] else " (—)")
        body.append(_text(LABEL_W + span + 8, y + 19, f"{n}{rate}"))
    return _svg(12 + len(counts) * ROW, title, body)


def bar_chart(items: Sequence[tuple[str, int, float]], unit: str = "", title: str = "来源构成") -> Markup:
    """Horizontal bars of (label, value, share of the total)."""
    span = WIDTH - LABEL_W - 130
    top = max((v for _, v, _ in items), default=0) or 1
    body = []
    for i, (label, value, share) in enumerate(items):
        y = 6 + i * ROW
        body.append(_text(LABEL_W - 10, y + 19, label[:16], "end"))
        body.append(_rect(LABEL_W, y, span, ROW - 8, GREY))
        body.append(_rect(LABEL_W, y, span * value / top, ROW - 8, BLUE))
        body.append(_text(LABEL_W + span + 8, y + 19, f"{value} {unit} · {share * 100:.1f}%"))
    if not items:
        body.append(_text(WIDTH / 2, 24, "暂无数据", "middle", "#888"))
    return _svg(12 + max(len(items), 1) * ROW, title, body)


def freshness_chart(
    items: Sequence[tuple[str, float | None, int | None]], title: str = "各来源距上次到数"
) -> Markup:
    """Per source, the silence so far against its expected interval (the tick); red when past it."""
    span = WIDTH - LABEL_W - 150
    longest = max([max(s or 0, e or 0) for _, s, e in items] + [1.0])
    body = []
    for i, (label, silent, expected) in enumerate(items):
        y = 6 + i * ROW
        body.append(_text(LABEL_W - 10, y + 19, label[:16], "end"))
        body.append(_rect(LABEL_W, y, span, ROW - 8, GREY))
        stale = silent is None or (expected is not None and silent > expected)
        if silent is not None:
            body.append(
                _rect(LABEL_W, y, span * min(silent, longest) / longest, ROW - 8, RED if stale else GREEN)
            )
        if expected is not None:
            x = LABEL_W + span * expected / longest
            body.append(
                f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + ROW - 6}" '
                'stroke="#222" stroke-width="2"/>'
            )
        note = "从未到数" if silent is None else f"{silent / 60:.0f} 分钟前"
        body.append(_text(LABEL_W + span + 8, y + 19, note, fill=RED if stale and expected else "#222"))
    if not items:
        body.append(_text(WIDTH / 2, 24, "暂无来源", "middle", "#888"))
    return _svg(12 + max(len(items), 1) * ROW, title, body)
