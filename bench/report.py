"""Figures, their targets, and the results table (``bench/results.md``) and data (``bench/results.json``).

A figure is one measured number ("ours"), optionally the same thing measured another way in the same run
("baseline"), and a target that says whether it is good enough. The ratio is ours / baseline. Targets are
small objects so that "at most 2 s", "at most 10 % slower than the baseline" and "no errors" are all said
the same way and print themselves in the table.
"""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol


class Target(Protocol):
    def met(self, ours: float, baseline: float | None) -> bool: ...

    def describe(self, unit: str) -> str: ...


def _number(value: float) -> str:
    """Short, readable numbers: 2.0 → 2, 1234.5 → 1234, 12.34 → 12.3, 0.01234 → 0.0123."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def ratio_text(ratio: float) -> str:
    """Two decimals; a ratio under 0.01 (the rollup against a loop over every schema) keeps two digits
    rather than showing 0.00."""
    return f"{ratio:.2f}" if ratio >= 0.01 or ratio == 0 else f"{ratio:.2g}"


def with_unit(value: float, unit: str) -> str:
    return f"{_number(value)} {unit}".strip()


@dataclass(frozen=True)
class AtMost:
    """Ours must not exceed ``limit`` (in the figure's unit)."""

    limit: float

    def met(self, ours: float, baseline: float | None) -> bool:
        return ours <= self.limit

    def describe(self, unit: str) -> str:
        return f"≤ {with_unit(self.limit, unit)}"


@dataclass(frozen=True)
class AtLeast:
    limit: float

    def met(self, ours: float, baseline: float | None) -> bool:
        return ours >= self.limit

    def describe(self, unit: str) -> str:
        return f"≥ {with_unit(self.limit, unit)}"


@dataclass(frozen=True)
class RatioAtMost:
    """Ours / baseline must not exceed ``limit``: ``RatioAtMost(1.10)`` is "at most 10 % slower".

    Without a baseline the target cannot be judged, so it is not met.
    """

    limit: float

    def met(self, ours: float, baseline: float | None) -> bool:
        ratio = compute_ratio(ours, baseline)
        return ratio is not None and ratio <= self.limit

    def describe(self, unit: str) -> str:
        return f"ratio ≤ {_number(self.limit)}"


@dataclass(frozen=True)
class AllOf:
    targets: tuple[Target, ...]

    def met(self, ours: float, baseline: float | None) -> bool:
        return all(target.met(ours, baseline) for target in self.targets)

    def describe(self, unit: str) -> str:
        return " and ".join(target.describe(unit) for target in self.targets)


@dataclass(frozen=True)
class AnyOf:
    """Met when one of the targets is: e.g. "no slower than the baseline, or so fast it does not matter"."""

    targets: tuple[Target, ...]

    def met(self, ours: float, baseline: float | None) -> bool:
        return any(target.met(ours, baseline) for target in self.targets)

    def describe(self, unit: str) -> str:
        return " or ".join(target.describe(unit) for target in self.targets)


def compute_ratio(ours: float, baseline: float | None) -> float | None:
    if baseline is None or baseline == 0:
        return None
    return ours / baseline


@dataclass(frozen=True)
class Figure:
    """One row of the results table."""

    name: str
    ours: float
    unit: str
    target: Target
    baseline: float | None = None
    note: str = ""
    # What "ours" and "baseline" are, in a few words, for readers of the table.
    ours_label: str = ""
    baseline_label: str = ""
    # Set when the measurement itself failed: the row then says so and is not met.
    error: str = ""

    @property
    def ratio(self) -> float | None:
        return compute_ratio(self.ours, self.baseline)

    @property
    def met(self) -> bool:
        if self.error or not math.isfinite(self.ours):
            return False
        return self.target.met(self.ours, self.baseline)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ours": None if self.error else self.ours,
            "ours_label": self.ours_label,
            "baseline": self.baseline,
            "baseline_label": self.baseline_label,
            "unit": self.unit,
            "ratio": self.ratio,
            "target": self.target.describe(self.unit),
            "met": self.met,
            "note": self.note,
            "error": self.error,
        }


@dataclass(frozen=True)
class Unmeasurable:
    """The target of a figure whose measurement failed."""

    def met(self, ours: float, baseline: float | None) -> bool:
        return False

    def describe(self, unit: str) -> str:
        return "measured"


def failed_figure(name: str, error: BaseException | str) -> Figure:
    message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return Figure(name=name, ours=math.nan, unit="", target=Unmeasurable(), error=message)


@dataclass
class RunInfo:
    """Where and how the figures were measured: printed above the table so a reader can compare runs."""

    tenants: int
    started: datetime
    seconds: float = 0.0
    build_seconds: float = 0.0
    database_reused: bool = False
    machine: str = field(default_factory=lambda: machine_description())
    # The 1-minute load average at the start and the end: timings on a busy machine read slower.
    load_before: float | None = None
    load_after: float | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tenants": self.tenants,
            "started": self.started.isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 1),
            "build_seconds": round(self.build_seconds, 1),
            "database_reused": self.database_reused,
            "machine": self.machine,
            "load_before": self.load_before,
            "load_after": self.load_after,
            **self.extra,
        }


def load_average() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def machine_description() -> str:
    import os

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def _cell(text: str) -> str:
    """A Markdown table cell: pipes and line breaks would break the row."""
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _value(value: float | None, unit: str, label: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "–"
    shown = with_unit(value, unit)
    return f"{shown} ({label})" if label else shown


def render_markdown(figures: Sequence[Figure], info: RunInfo) -> str:
    met = sum(1 for figure in figures if figure.met)
    lines = [
        "# Benchmark results",
        "",
        f"{info.started:%Y-%m-%d %H:%M}, {info.tenants} tenants, {info.machine}.",
        f"Whole run {info.seconds:.0f} s; building the data {info.build_seconds:.0f} s"
        + (" (database reused)." if info.database_reused else "."),
        *(
            [f"Load average {info.load_before:.1f} at the start, {info.load_after:.1f} at the end."]
            if info.load_before is not None and info.load_after is not None
            else []
        ),
        "",
        f"**{met} of {len(figures)} targets met.**",
        "",
        "| figure | ours | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for figure in figures:
        if figure.error:
            ours = f"not measured: {figure.error}"
        else:
            ours = _value(figure.ours, figure.unit, figure.ours_label)
        ratio = "–" if figure.ratio is None else ratio_text(figure.ratio)
        cells = [
            figure.name,
            ours,
            _value(figure.baseline, figure.unit, figure.baseline_label),
            ratio,
            figure.target.describe(figure.unit),
            "yes" if figure.met else "**no**",
        ]
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    notes = [(figure.name, figure.note) for figure in figures if figure.note]
    if notes:
        lines += ["", "## Notes", ""]
        lines += [f"- **{name}**: {note}" for name, note in notes]
    return "\n".join(lines) + "\n"


def render_json(figures: Sequence[Figure], info: RunInfo) -> str:
    return json.dumps(
        {"run": info.as_dict(), "figures": [figure.as_dict() for figure in figures]},
        indent=2,
        ensure_ascii=False,
    )


def write_results(figures: Sequence[Figure], info: RunInfo, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    markdown = directory / "results.md"
    data = directory / "results.json"
    markdown.write_text(render_markdown(figures, info), encoding="utf-8")
    data.write_text(render_json(figures, info) + "\n", encoding="utf-8")
    return markdown, data
