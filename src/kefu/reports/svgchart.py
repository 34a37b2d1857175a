"""A report's chart as inline SVG, for the print view and the PDF.

The report page draws its charts with ECharts in the browser; WeasyPrint runs no JavaScript,
so the print view and the PDF get the same figures (:meth:`kefu.reports.tables.Table.chart_data`)
drawn here as a small bar or line chart: value axis with rounded gridlines, category labels
(thinned out and slanted when there are many), one colour per series, a legend. Every text
is escaped; labels are drawn in Noto Sans CJK so Chinese shows in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 1000, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 34, 62
COLOURS = ("#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452")
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
MAX_LABELS = 31  # category labels shown; more categories show every n-th label


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return 10.0 * power


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _values(series: dict[str, Any]) -> list[float]:
    return [float(v) if isinstance(v, int | float) else 0.0 for v in series.get("data", [])]


def svg_chart(data: dict[str, Any] | None, title: str = "") -> str:
    """The SVG markup of ``data`` ({"type", "categories", "series": [{"name", "data"}]})."""
    if not data or not data.get("categories") or not data.get("series"):
        return ""
    categories = [str(c) for c in data["categories"]]
    series = [(str(s.get("name", "")), _values(s)) for s in data["series"]]
    top = nice_ceiling(max((max(v, default=0.0) for _, v in series), default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" font-size="11"'
        f' role="img" aria-label="{escape(title)}">'
    ]
    parts += _grid(top, plot_w, plot_h)
    parts += _category_labels(categories, plot_w, plot_h)
    if data.get("type") == "line":
        parts += _lines(series, top, plot_w, plot_h)
    else:
        parts += _bars(series, top, plot_w, plot_h)
    parts += _legend([name for name, _ in series])
    parts.append("</svg>")
    return "".join(parts)


def _y(value: float, top: float, plot_h: float) -> float:
    return TOP + plot_h - max(0.0, value) / top * plot_h


def _grid(top: float, plot_w: float, plot_h: float) -> list[str]:
    parts = []
    for step in range(5):
        value = top * step / 4
        y = _y(value, top, plot_h)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
            f'stroke="{"#666" if step == 0 else "#ddd"}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">'
            f"{_number(value)}</text>"
        )
    return parts


def _category_labels(categories: Sequence[str], plot_w: float, plot_h: float) -> list[str]:
    every = max(1, math.ceil(len(categories) / MAX_LABELS))
    slanted = len(categories) / every > 12
    width = plot_w / len(categories)
    parts = []
    base = TOP + plot_h + 14
    for index in range(0, len(categories), every):
        x = LEFT + width * (index + 0.5)
        label = escape(categories[index][:16])
        if slanted:
            parts.append(
                f'<text x="{x:.1f}" y="{base:.1f}" text-anchor="end" fill="#333" '
                f'transform="rotate(-35 {x:.1f} {base:.1f})">{label}</text>'
            )
        else:
            parts.append(
                f'<text x="{x:.1f}" y="{base:.1f}" text-anchor="middle" fill="#333">{label}</text>'
            )
    return parts


def _bars(
    series: Sequence[tuple[str, list[float]]], top: float, plot_w: float, plot_h: float
) -> list[str]:
    count = max(len(values) for _, values in series)
    group = plot_w / count
    bar = group * 0.8 / len(series)
    parts = []
    for number, (_, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        for index, value in enumerate(values):
            y = _y(value, top, plot_h)
            x = LEFT + group * index + group * 0.1 + bar * number
            parts.append(
                f'<rect x="{x:.2f}" y="{y:.2f}" width="{bar:.2f}" '
                f'height="{TOP + plot_h - y:.2f}" fill="{colour}"/>'
            )
    return parts


def _lines(
    series: Sequence[tuple[str, list[float]]], top: float, plot_w: float, plot_h: float
) -> list[str]:
    count = max(len(values) for _, values in series)
    step = plot_w / count
    parts = []
    for number, (_, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = [
            (LEFT + step * (index + 0.5), _y(value, top, plot_h))
            for index, value in enumerate(values)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        if count <= 62:
            parts += [
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points
            ]
    return parts


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    x = LEFT
    for number, name in enumerate(names):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(
            f'<rect x="{x}" y="10" width="14" height="10" fill="{colour}"/>'
            f'<text x="{x + 19}" y="19" fill="#000">{escape(name)}</text>'
        )
        x += 30 + 12 * len(name)
    return parts
