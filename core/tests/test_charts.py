"""Server-side SVG charts: readable axis tops and bars in proportion."""

from __future__ import annotations

import pytest

from core.charts import bar_chart, nice_ceiling


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (357, 500), (1200, 2000)]
)
def test_the_axis_top_is_a_round_number(value: int, top: int) -> None:
    assert nice_ceiling(value) == top


def test_bars_are_in_proportion_and_the_numbers_are_kept_for_the_table() -> None:
    chart = bar_chart(
        slug="t",
        title="T",
        description="D",
        categories=["jan", "feb"],
        series=[("Kvinnor", [10, 5]), ("Män", [0, 2])],
    )
    heights = {(bar.label, bar.value): bar.height for bar in chart.bars}
    assert heights[("feb, Kvinnor", 5)] == pytest.approx(heights[("jan, Kvinnor", 10)] / 2, abs=0.1)
    assert heights[("jan, Män", 0)] == 0
    assert all(bar.y + bar.height == pytest.approx(chart.baseline, abs=0.1) for bar in chart.bars)
    assert chart.rows == [("jan", [10, 0]), ("feb", [5, 2])]
    assert chart.total == 17
    assert [tick.text for tick in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert chart.legend == [(0, "Kvinnor"), (1, "Män")]


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        ([20], ["0", "5", "10", "15", "20"]),
        ([357], ["0", "100", "200", "300", "400", "500"]),
        ([1], ["0", "", "", "", "", "1"]),
    ],
)
def test_gridlines_sit_at_round_values(values: list[int], ticks: list[str]) -> None:
    chart = bar_chart(slug="t", title="T", description="D", categories=["a"], series=[("n", values)])
    assert [tick.text for tick in chart.y_ticks] == ticks


def test_an_empty_chart_still_draws() -> None:
    chart = bar_chart(slug="t", title="T", description="D", categories=["jan"], series=[("Antal", [0])])
    assert chart.bars[0].height == 0
    assert chart.legend == []
