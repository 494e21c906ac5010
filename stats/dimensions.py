"""The vocabulary of the rollup: periods, metrics and the values each dimension may take.

Everything a rollup row may hold is listed here, so a test can check that no row carries anything else (no
names, no ids of people, no free text). A dimension left empty ("") means "all".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ActivityCategory, Arena, FunderKind, Gender, PathwayStage, PersonGroup
from core.models.pathways import PATHWAY_ARENAS
from core.models.people import AGE_BANDS, AGE_UNKNOWN

ALL = ""


class PeriodKind(models.TextChoices):
    MONTH = "M", _("Month")
    QUARTER = "Q", _("Quarter")
    YEAR = "Y", _("Year")


# Age: the six bands (DESIGN.md §2) plus "unknown"; the dashboard's coarse groups, each a union of bands; and
# Arvsfonden's own cut (children 0–11, youth 12–25, adults 26+), which does not nest in the bands.
AGE_BAND_VALUES: tuple[str, ...] = (*(name for name, _low, _high in AGE_BANDS), AGE_UNKNOWN)
COARSE_GROUPS: dict[str, tuple[str, ...]] = {
    "children": ("0-6", "7-12"),
    "youth": ("13-19", "20-25"),
    "adults": ("26-64", "65+"),
}
COARSE_OF_BAND = {band: group for group, bands in COARSE_GROUPS.items() for band in bands}
ARVS_GROUPS: tuple[tuple[str, int, int | None], ...] = (("0-11", 0, 11), ("12-25", 12, 25), ("26+", 26, None))
ARVS_VALUES: tuple[str, ...] = (*(name for name, _low, _high in ARVS_GROUPS), AGE_UNKNOWN)
AGE_VALUES: frozenset[str] = frozenset(
    {ALL, *AGE_BAND_VALUES, *COARSE_GROUPS, *(name for name, _low, _high in ARVS_GROUPS)}
)
AGE_LABELS: dict[str, str] = {
    "0-6": "0–6",
    "7-12": "7–12",
    "13-19": "13–19",
    "20-25": "20–25",
    "26-64": "26–64",
    "65+": "65+",
    AGE_UNKNOWN: str(_("Age not known")),
}
COARSE_LABELS = {
    "children": _("Children 0–12"),
    "youth": _("Youth 13–25"),
    "adults": _("Adults 26+"),
}
ARVS_LABELS = {
    "0-11": _("Children 0–11"),
    "12-25": _("Youth 12–25"),
    "26+": _("Adults 26+"),
    AGE_UNKNOWN: _("Age not known"),
}
# LOK-stöd counts participants of these ages only.
LOK_AGES = (7, 25)


def arvs_group(age: int | None) -> str:
    if age is None:
        return AGE_UNKNOWN
    for name, low, high in ARVS_GROUPS:
        if age >= low and (high is None or age <= high):
            return name
    return AGE_UNKNOWN


GENDER_VALUES: tuple[str, ...] = tuple(Gender.values)
GROUP_VALUES: tuple[str, ...] = tuple(PersonGroup.values)
CATEGORY_VALUES: tuple[str, ...] = tuple(ActivityCategory.values)
ARENA_VALUES: tuple[str, ...] = tuple(Arena.values)
FUNDER_VALUES: tuple[str, ...] = tuple(FunderKind.values)
STAGE_VALUES: tuple[str, ...] = tuple(PathwayStage.values)
# Pathways lead into one of these arenas (never "general").
PATHWAY_ARENA_VALUES: tuple[str, ...] = tuple(arena.value for arena in PATHWAY_ARENAS)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: dt.date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[PeriodKind(self.kind)]
        month = self.start.month - 1 + months
        return dt.date(self.start.year + month // 12, month % 12 + 1, 1)

    def months(self) -> list[Period]:
        result = []
        day = self.start
        while day < self.end:
            result.append(Period(PeriodKind.MONTH, day))
            day = Period(PeriodKind.MONTH, day).end
        return result

    @property
    def key(self) -> str:
        """As in a URL: 2026, 2026-Q1, 2026-03."""
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @classmethod
    def parse(cls, key: str) -> Period:
        """The inverse of ``key``; ValueError on anything else."""
        key = key.strip()
        if len(key) == 4 and key.isdigit():
            return cls(PeriodKind.YEAR, dt.date(int(key), 1, 1))
        if len(key) == 7 and key[4:6] == "-Q" and key[:4].isdigit() and key[6] in "1234":
            return cls(PeriodKind.QUARTER, dt.date(int(key[:4]), (int(key[6]) - 1) * 3 + 1, 1))
        if len(key) == 7 and key[4] == "-" and key[:4].isdigit() and key[5:].isdigit():
            month = int(key[5:])
            if 1 <= month <= 12:
                return cls(PeriodKind.MONTH, dt.date(int(key[:4]), month, 1))
        raise ValueError(key)


def periods_of_day(day: dt.date) -> tuple[Period, Period, Period]:
    """The month, quarter and year a day belongs to."""
    return (
        Period(PeriodKind.MONTH, day.replace(day=1)),
        Period(PeriodKind.QUARTER, dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)),
        Period(PeriodKind.YEAR, dt.date(day.year, 1, 1)),
    )


def periods_of_year(year: int) -> list[Period]:
    year_period = Period(PeriodKind.YEAR, dt.date(year, 1, 1))
    quarters = [Period(PeriodKind.QUARTER, dt.date(year, month, 1)) for month in (1, 4, 7, 10)]
    return [year_period, *quarters, *year_period.months()]


def parent_period(period: Period) -> Period | None:
    """The period a month or quarter adds up into (for metrics that add up over time)."""
    if period.kind == PeriodKind.MONTH:
        return periods_of_day(period.start)[1]
    if period.kind == PeriodKind.QUARTER:
        return periods_of_day(period.start)[2]
    return None
