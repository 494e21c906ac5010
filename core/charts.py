"""Server-side SVG charts: geometry computed here, drawn by ``templates/core/charts/bar_chart.html``.

Charts are plain SVG so they work without JavaScript, pass a strict Content-Security-Policy (colours come
from classes in the stylesheet, no inline styles) and print into PDF reports. Every chart carries its
numbers as a table for screen readers and for anyone who wants the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

# The drawing area inside the viewBox; the axis labels sit in the margins.
MARGIN_LEFT = 34
MARGIN_RIGHT = 6
MARGIN_TOP = 10
MARGIN_BOTTOM = 26


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    series_names: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    # rows of the accessible table: category, then one value per series
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    total: int = 0

    @property
    def plot_left(self) -> int:
        return MARGIN_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - MARGIN_RIGHT

    @property
    def baseline(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def legend(self) -> list[tuple[int, str]]:
        return list(enumerate(self.series_names)) if len(self.series_names) > 1 else []


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1): a readable top for the y axis."""
    if value <= 1:
        return 1
    magnitude: int = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    width: int = 360,
    height: int = 220,
) -> BarChart:
    """Grouped bars: one group per category, one bar per series within it."""
    chart = BarChart(slug=slug, title=title, description=description, width=width, height=height)
    chart.series_names = [name for name, _ in series]
    chart.categories = list(categories)
    chart.rows = [(category, [values[i] for _, values in series]) for i, category in enumerate(categories)]
    chart.total = sum(sum(values) for _, values in series)
    top = nice_ceiling(max((max(values, default=0) for _, values in series), default=0))
    plot_width = chart.plot_right - chart.plot_left
    plot_height = chart.baseline - MARGIN_TOP
    group_width = plot_width / max(len(categories), 1)
    gap = group_width * 0.2
    bar_width = (group_width - gap) / max(len(series), 1)
    for index, category in enumerate(categories):
        group_left = chart.plot_left + index * group_width + gap / 2
        chart.x_labels.append(Tick(round(group_left + (group_width - gap) / 2, 1), category))
        for series_index, (name, values) in enumerate(series):
            value = values[index]
            bar_height = plot_height * value / top
            chart.bars.append(
                Bar(
                    x=round(group_left + series_index * bar_width, 1),
                    y=round(chart.baseline - bar_height, 1),
                    width=round(max(bar_width - 1, 1), 1),
                    height=round(bar_height, 1),
                    series=series_index,
                    label=f"{category}, {name}" if len(series) > 1 else category,
                    value=value,
                )
            )
    # Gridlines at round values: 1 and 5 × 10ⁿ split in fifths, 2 × 10ⁿ in quarters.
    steps = 4 if str(top)[0] == "2" else 5
    for step in range(steps + 1):
        tick_value = top * step / steps
        text = f"{tick_value:g}" if tick_value == int(tick_value) else ""
        chart.y_ticks.append(Tick(round(chart.baseline - plot_height * step / steps, 1), text))
    return chart
