"""Small bar charts drawn on the server as inline SVG: no script, no CDN, print-ready.

``grouped_bars`` draws categories along the x axis with one bar per series (e.g. the
age structure before and after a cycle). Labels are escaped; the result is safe markup.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#8aa4c8", "#1f5fa8", "#d98c2b", "#4f9a5b")


@dataclass(frozen=True)
class Series:
    label: str
    values: Mapping[str, int]


def grouped_bars(categories: Sequence[str], series: Sequence[Series], *, title: str,
                 width: int = 560, height: int = 240) -> SafeString:
    top, bottom, left, right = 40, 44, 36, 8
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(s.values.get(c, 0) for s in series for c in categories)])
    slot = plot_w / max(len(categories), 1)
    bar = min(28.0, slot * 0.8 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f'<title>{escape(title)}</title>',
        f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        'stroke="#999"/>',
    ]
    for i, category in enumerate(categories):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for j, s in enumerate(series):
            value = s.values.get(category, 0)
            h = plot_h * value / peak
            x, y = x0 + j * bar, top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(s.label)} · '
                f'{escape(category)}: {value}</title></rect>'
            )
            if value:
                parts.append(f'<text x="{x + (bar - 2) / 2:.1f}" y="{y - 3:.1f}" '
                             f'text-anchor="middle" class="chart-value">{value}</text>')
        parts.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 16}" '
                     f'text-anchor="middle" class="chart-label">{escape(category)}</text>')
    for j, s in enumerate(series):
        x = left + j * 110
        parts.append(f'<rect x="{x}" y="{height - 16}" width="10" height="10" '
                     f'fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14}" y="{height - 7}" class="chart-label">'
                     f'{escape(s.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
