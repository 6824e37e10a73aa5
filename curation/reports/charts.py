"""Horizontal bar charts as inline SVG, so an HTML report is one file that opens offline and prints."""

from __future__ import annotations

from markupsafe import Markup, escape

from .document import Chart, clip

ROW = 22
LABEL_WIDTH = 330
BAR_WIDTH = 360
VALUE_WIDTH = 70


def _value(value: float, unit: str) -> str:
    text = f"{value:.1f}".removesuffix(".0") if unit == "%" else f"{value:g}"
    return f"{text} {unit}".strip() if unit and unit != "%" else f"{text}{unit}"


def svg(chart: Chart) -> Markup:
    """The chart as an accessible SVG element; every label is escaped."""
    top = max((v for _, v in chart.bars), default=0.0)
    scale_max = chart.max_value if chart.max_value else (top or 1.0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW * max(len(chart.bars), 1) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(chart.title)}</title>'
    ]
    if not chart.bars:
        parts.append(f'<text x="0" y="16" class="empty">{escape("No data")}</text>')
    for i, (label, value) in enumerate(chart.bars):
        y = 4 + i * ROW
        length = 0.0 if scale_max <= 0 else max(0.0, min(value / scale_max, 1.0)) * BAR_WIDTH
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" text-anchor="end" class="label">'
            f"{escape(clip(label, 52))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{BAR_WIDTH}" height="{ROW - 6}" class="track"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" height="{ROW - 6}" class="bar"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 14}" class="value">'
            f"{escape(_value(value, chart.unit))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
