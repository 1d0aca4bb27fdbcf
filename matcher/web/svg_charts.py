"""Charts drawn on the server as SVG: they need no JavaScript and print as they are.

Each chart is an image with a name and a description (role="img", <title>, <desc>); the
page puts the same numbers in a table beside it. Values are written on the chart, and
what colour tells (a gap, a target) is also told by a pattern, a shape or a dash.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 560
LABEL_WIDTH = 190
VALUE_ROOM = 90  # right of the longest bar, for its value
ROW = 30
BAR = 18
FONT = 14
MAX_LABEL = 25  # characters; the table beside the chart has the whole text
INK = "#1a1a1a"  # text and lines: contrast 17:1 on white
BAR_FILL = "#004993"
GRID = "#6b6b6b"
TARGET = "#8a4b00"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written on the chart, e.g. "3 kurser"
    marked: bool = False  # hatched instead of solid, e.g. a supply gap


@dataclass(frozen=True, slots=True)
class Point:
    x: int  # a year
    y: float
    text: str  # e.g. "23,2 %"


@dataclass(frozen=True, slots=True)
class Reference:
    """A target: a dashed line across the chart and a diamond at its year."""

    x: int
    y: float
    label: str


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1].rstrip() + "…"


def _open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, desc: str) -> Markup:
    """Horizontal bars, one row each, labelled on the left and valued on the right."""
    height = max(ROW * len(bars) + 10, 40)
    top = max((bar.value for bar in bars), default=0.0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    parts = _open(chart_id, height, title, desc)
    parts.append(
        f'<defs><pattern id="{escape(chart_id)}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{BAR_FILL}" stroke-width="3"/>'
        f'</pattern></defs>')
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height - 5}" '
                 f'stroke="{INK}" stroke-width="1"/>')
    for row, bar in enumerate(bars):
        y = 5 + row * ROW
        length = room * bar.value / top if top > 0 else 0.0
        fill = f"url(#{escape(chart_id)}-hatch)" if bar.marked else BAR_FILL
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 4}" text-anchor="end" '
            f'font-size="{FONT}" fill="{INK}">{escape(_short(bar.label))}</text>')
        if length > 0:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                         f'height="{BAR}" fill="{fill}" stroke="{BAR_FILL}" stroke-width="1"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR - 4}" '
                     f'font-size="{FONT}" fill="{INK}">{escape(bar.text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[Point], references: Sequence[Reference], *, chart_id: str,
               title: str, desc: str, unit: str = "%") -> Markup:
    """Values by year as a line with dots, against dashed target lines, on a 0-based axis."""
    height, left, right, top_pad, bottom = 320, 56, 150, 16, 40
    years = [p.x for p in points] + [r.x for r in references]
    first, last = (min(years) - 1, max(years) + 1) if years else (2019, 2026)
    highest = max([p.y for p in points] + [r.y for r in references] + [10.0])
    y_max = float(math.ceil(highest / 10.0) * 10 + (10 if highest % 10 == 0 else 0))
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom

    def px(year: float) -> float:
        return left + plot_w * (year - first) / (last - first)

    def py(value: float) -> float:
        return top_pad + plot_h * (1 - value / y_max)

    parts = _open(chart_id, height, title, desc)
    for tick in range(0, int(y_max) + 1, 10):
        y = py(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="{1 if tick else 1.5}" '
                     f'stroke-opacity="{0.35 if tick else 1}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end" '
                     f'font-size="{FONT}" fill="{INK}">{tick}\u00a0{escape(unit)}</text>')
    step = max(1, math.ceil((last - first) / 8))
    for year in range(first, last + 1, step):
        parts.append(f'<text x="{px(year):.1f}" y="{height - bottom + 22}" text-anchor="middle" '
                     f'font-size="{FONT}" fill="{INK}">{year}</text>')
    for ref in references:
        y = py(ref.y)
        x = px(ref.x)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
                     f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="8 5"/>')
        parts.append(f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} '
                     f'L{x - 7:.1f} {y:.1f} Z" fill="#ffffff" stroke="{TARGET}" stroke-width="2"/>')
        parts.append(f'<text x="{left + plot_w + 8}" y="{y + 5:.1f}" font-size="{FONT}" '
                     f'fill="{INK}">{escape(ref.label)}</text>')
    ordered = sorted(points, key=lambda p: p.x)
    if len(ordered) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{px(p.x):.1f} {py(p.y):.1f}"
                        for i, p in enumerate(ordered))
        parts.append(f'<path d="{path}" fill="none" stroke="{BAR_FILL}" stroke-width="2.5"/>')
    for point in ordered:
        x, y = px(point.x), py(point.y)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{BAR_FILL}"/>')
        # Below the dot: the targets' dashed lines run above the figures they are measured on.
        parts.append(f'<text x="{x:.1f}" y="{y + 22:.1f}" text-anchor="middle" '
                     f'font-size="{FONT}" font-weight="bold" fill="{INK}">'
                     f'{escape(point.text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
