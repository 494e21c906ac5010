"""Server-side SVG charts: horizontal bars (one or several series) and lines. No script, no style attribute.

Each chart is an ``<svg role="img">`` with a title and a description; the same numbers are always in a table
beside it, which is what screen readers should read. Hidden figures get no bar or point, only their mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5c8a", "#b8410f", "#1d6b35", "#6b3fa0", "#7a5c00", "#4d5863", "#a11a1a")
INK = "#1d2329"
MUTED = "#4d5863"
LINE = "#c9d2da"
WIDTH = 640


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: hidden
    texts: Sequence[str]  # what to print beside each value ("<5", "1 234", …)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(value)


def _svg(width: int, height: int, title: str, description: str, *, body: list[str], key: str) -> SafeString:
    # Every text in it went through escape(); the rest are our own numbers and colours.
    return mark_safe(  # noqa: S308
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{key}-title {key}-desc" '
        f'font-family="DejaVu Sans, Verdana, sans-serif" font-size="13">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts = []
    x = 8
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 17}" y="{y}" fill="{INK}">{escape(item.name)}</text>')
        x += 30 + 8 * len(item.name)
    return parts


def bar_chart(
    *, key: str, title: str, labels: Sequence[str], series: Sequence[Series], description: str = ""
) -> SafeString:
    """Horizontal bars, one group per label, one bar per series."""
    label_width = 190
    bar = 16 if len(series) > 1 else 20
    group = bar * len(series) + 12
    top = 30 if len(series) > 1 else 8
    height = top + group * len(labels) + 8
    numbers = [v for item in series for v in item.values if v is not None]
    scale_max = _nice_max(max(numbers, default=0))
    span = WIDTH - label_width - 70
    body: list[str] = []
    if len(series) > 1:
        body += _legend(series, 18)
    for row, label in enumerate(labels):
        y0 = top + row * group
        body.append(
            f'<text x="{label_width - 8}" y="{y0 + group / 2}" text-anchor="end" dominant-baseline="middle" '
            f'fill="{INK}">{escape(label[:28])}</text>'
        )
        for index, item in enumerate(series):
            value = item.values[row]
            y = y0 + index * bar
            colour = PALETTE[index % len(PALETTE)]
            length = 0.0 if value is None else max(span * value / scale_max, 0.0)
            if length:
                body.append(
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar - 3}" fill="{colour}">'
                    f"<title>{escape(item.name)}: {escape(item.texts[row])}</title></rect>"
                )
            body.append(
                f'<text x="{label_width + length + 5:.1f}" y="{y + (bar - 3) / 2}" dominant-baseline="middle" '
                f'fill="{MUTED if value is None else INK}">{escape(item.texts[row])}</text>'
            )
    body.append(
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - 6}" stroke="{LINE}"/>'
    )
    return _svg(WIDTH, height, title, description, body=body, key=key)


def line_chart(
    *, key: str, title: str, labels: Sequence[str], series: Sequence[Series], description: str = ""
) -> SafeString:
    """One line per series over the labels (months); a hidden point breaks the line and shows its mark."""
    left, right, top, bottom = 56, 16, 34, 40
    height = 280
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    numbers = [v for item in series for v in item.values if v is not None]
    scale_max = _nice_max(max(numbers, default=0))
    count = max(len(labels), 1)
    step = plot_w / max(count - 1, 1)
    body: list[str] = _legend(series, 18)
    for tick in range(5):
        tick_value = scale_max * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="{LINE}"/>')
        text = f"{tick_value:,.0f}".replace(",", " ") if scale_max >= 4 else f"{tick_value:.1f}"
        body.append(
            f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end" dominant-baseline="middle" fill="{MUTED}">{text}</text>'
        )
    for index, label in enumerate(labels):
        x = left + step * index if count > 1 else left + plot_w / 2
        body.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    for number, item in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, value in enumerate(item.values):
            x = left + step * index if count > 1 else left + plot_w / 2
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                body.append(
                    f'<text x="{x:.1f}" y="{top + plot_h - 6}" text-anchor="middle" fill="{colour}">'
                    f"{escape(item.texts[index])}</text>"
                )
                continue
            y = top + plot_h - plot_h * value / scale_max
            segment.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(item.name)} {escape(labels[index])}: {escape(item.texts[index])}</title></circle>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                )
    return _svg(WIDTH, height, title, description, body=body, key=key)
