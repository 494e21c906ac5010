"""The results table: ratios, targets met or not, and the Markdown and JSON written."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

from bench.report import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Figure,
    RatioAtMost,
    RunInfo,
    compute_ratio,
    failed_figure,
    ratio_text,
    render_json,
    render_markdown,
    write_results,
)


def info() -> RunInfo:
    return RunInfo(
        tenants=300,
        started=datetime(2026, 11, 28, 5, 30, tzinfo=UTC),
        seconds=612.4,
        build_seconds=98.2,
        machine="2 cores (test CPU), 24 GiB",
        load_before=0.4,
        load_after=1.25,
    )


def test_ratio_is_ours_over_baseline_and_absent_without_a_baseline() -> None:
    assert compute_ratio(1.5, 1.0) == 1.5
    assert compute_ratio(1.5, None) is None
    assert compute_ratio(1.5, 0) is None
    assert Figure(name="x", ours=11.0, baseline=10.0, unit="ms", target=AtMost(20)).ratio == 1.1


def test_at_most_and_at_least_compare_ours_to_the_limit() -> None:
    assert AtMost(2.0).met(2.0, None)
    assert not AtMost(2.0).met(2.01, None)
    assert AtLeast(100).met(100, None)
    assert not AtLeast(100).met(99.9, None)


def test_ratio_target_needs_a_baseline_and_honours_its_limit() -> None:
    target = RatioAtMost(1.10)
    assert target.met(10.9, 10.0)
    assert not target.met(11.2, 10.0)
    assert not target.met(1.0, None)  # cannot be judged, so not met


def test_all_of_is_met_only_when_every_part_is() -> None:
    target = AllOf((RatioAtMost(1.10), AtMost(200.0)))
    assert target.met(105.0, 100.0)
    assert not target.met(115.0, 100.0)  # grew too much
    assert not target.met(210.0, 200.0)  # too large, though it did not grow
    assert target.describe("MiB") == "ratio ≤ 1.10 and ≤ 200 MiB"


def test_any_of_is_met_when_one_part_is() -> None:
    target = AnyOf((RatioAtMost(1.0), AtMost(10.0)))
    assert target.met(50.0, 60.0)  # faster than the baseline
    assert target.met(1.9, 1.2)  # slower, but too quick to matter
    assert not target.met(70.0, 60.0)
    assert target.describe("s") == "ratio ≤ 1 or ≤ 10 s"


def test_a_failed_measurement_is_a_row_that_is_not_met() -> None:
    figure = failed_figure("memory", RuntimeError("port taken"))
    assert not figure.met
    assert figure.error == "RuntimeError: port taken"
    assert math.isnan(figure.ours)


def test_markdown_table_has_every_column_and_says_which_targets_are_met() -> None:
    figures = [
        Figure(
            name="Tenant provisioning",
            ours=0.23,
            ours_label="clone",
            baseline=0.17,
            baseline_label="migrations",
            unit="s",
            target=AtMost(2.0),
            note="Median of 3.",
        ),
        Figure(name="HTTP load: errors", ours=3.0, unit="", target=AtMost(0)),
        failed_figure("memory", "ServerError: port | taken"),
    ]
    text = render_markdown(figures, info())
    lines = text.splitlines()
    assert "| figure | ours | baseline | ratio | target | met? |" in lines
    assert "| Tenant provisioning | 0.23 s (clone) | 0.17 s (migrations) | 1.35 | ≤ 2 s | yes |" in lines
    assert "| HTTP load: errors | 3 | – | – | ≤ 0 | **no** |" in lines
    # A pipe in a cell would split the row: it is escaped.
    assert "| memory | not measured: ServerError: port \\| taken | – | – | measured | **no** |" in lines
    assert "**1 of 3 targets met.**" in lines
    assert "- **Tenant provisioning**: Median of 3." in lines
    assert "2026-11-28 05:30, 300 tenants, 2 cores (test CPU), 24 GiB." in lines
    assert "Load average 0.4 at the start, 1.2 at the end." in lines


def test_json_holds_the_same_figures_and_the_run() -> None:
    figures = [Figure(name="Routing", ours=5.5, baseline=5.0, unit="ms", target=RatioAtMost(1.1))]
    data = json.loads(render_json(figures, info()))
    assert data["run"]["tenants"] == 300
    assert data["run"]["seconds"] == 612.4
    (row,) = data["figures"]
    assert row["name"] == "Routing"
    assert row["ratio"] == 1.1
    assert row["met"] is True
    assert row["target"] == "ratio ≤ 1.10"


def test_write_results_writes_both_files(tmp_path: Path) -> None:
    figures = [Figure(name="Routing", ours=5.5, baseline=5.0, unit="ms", target=RatioAtMost(1.1))]
    markdown, data = write_results(figures, info(), tmp_path)
    assert markdown == tmp_path / "results.md"
    assert "| Routing |" in markdown.read_text()
    assert json.loads(data.read_text())["figures"][0]["met"] is True


def test_a_tiny_ratio_keeps_its_digits_instead_of_showing_zero() -> None:
    assert ratio_text(0.0017) == "0.0017"
    assert ratio_text(0.05) == "0.05"
    assert ratio_text(1.234) == "1.23"
    assert ratio_text(0) == "0.00"
