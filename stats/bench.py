"""Timing the board's dashboard on a large rollup: 300 municipalities × 24 months of synthetic figures.

``make bench`` (issue 11) calls ``dashboard_answer`` for the figure it reports; ``manage.py stats_bench``
fills a rollup inside a transaction, times the dashboard and rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import time
from dataclasses import dataclass

from django.db import connection

from stats.dimensions import (
    AGE_BAND_VALUES,
    ARENA_VALUES,
    CATEGORY_VALUES,
    COARSE_GROUPS,
    GENDER_VALUES,
    GROUP_VALUES,
    Hidden,
    Period,
    PeriodKind,
    periods_of_year,
)
from stats.selectors import Dashboard, Selection, dashboard_build, selection_build
from tenants.models import Municipality, TenantKind, TenantStatus

COUNTIES = [f"Län {n}" for n in range(1, 22)]
PEOPLE = ("participants", "new_participants", "attendances", "registered")
SCOPED = ("households", "sessions_held", "volunteer_minutes")


def dashboard_answer(*, selection: Selection) -> Dashboard:
    """The dashboard's whole server-side answer for a selection (what a request does before rendering)."""
    return dashboard_build(actor=None, selection=selection)


def _rows(tenant_id: int, years: list[int], rng: random.Random) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []

    def add(kind: str, start: dt.date, metric: str, scale: int, **dims: str) -> None:
        value = max(1, int(rng.expovariate(1 / scale)))
        hidden = Hidden.SMALL if value < 5 and metric in PEOPLE else Hidden.SHOWN
        cut = "+".join(
            name for name in ("age_band", "arena", "category", "gender", "person_group") if dims.get(name)
        )
        rows.append(
            (
                cut,
                tenant_id,
                kind,
                start,
                metric,
                dims.get("gender", ""),
                dims.get("age_band", ""),
                dims.get("person_group", ""),
                dims.get("category", ""),
                dims.get("arena", ""),
                value,
                hidden,
            )
        )

    for year in years:
        for period in periods_of_year(year):
            size = {"M": 40, "Q": 110, "Y": 400}[period.kind]
            for metric in PEOPLE + SCOPED:
                add(period.kind, period.start, metric, size)
            if period.kind == PeriodKind.MONTH:
                continue
            for metric in PEOPLE:
                for age in ("", *COARSE_GROUPS):
                    for gender in GENDER_VALUES:
                        add(period.kind, period.start, metric, size // 4, gender=gender, age_band=age)
                    for group in GROUP_VALUES:
                        add(period.kind, period.start, metric, size // 2, person_group=group, age_band=age)
                    if age:
                        add(period.kind, period.start, metric, size // 3, age_band=age)
                for band in AGE_BAND_VALUES:
                    add(period.kind, period.start, metric, size // 7, age_band=band)
            for metric in PEOPLE[:3] + SCOPED:
                for category in CATEGORY_VALUES:
                    add(period.kind, period.start, metric, size // 8, category=category)
                for arena in ARENA_VALUES:
                    add(period.kind, period.start, metric, size // 4, arena=arena)
    return rows


def synthetic_rollup_create(
    *, tenants: int = 300, months: int = 24, seed: int = 1
) -> tuple[list[Municipality], int]:
    """Municipality rows (no schemas) and their rollup, written with COPY. Returns the tenants and row count."""
    rng = random.Random(seed)
    created = Municipality.objects.bulk_create(
        [
            Municipality(
                schema_name=f"bench{n:03d}",
                name=f"Benchkommun {n:03d}",
                kind=TenantKind.MUNICIPALITY,
                county=COUNTIES[n % len(COUNTIES)],
                status=TenantStatus.ACTIVE,
            )
            for n in range(tenants)
        ]
    )
    this_year = dt.date.today().year
    years = list(range(this_year - (months - 1) // 12, this_year + 1))
    buffer = io.StringIO()
    count = 0
    for tenant in created:
        for row in _rows(tenant.pk, years, rng):
            # project 0, stage and funder "" (all): the columns after the row's own.
            buffer.write("\t".join(str(value) for value in row) + "\t0\t\t\n")
            count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_from(
            buffer,
            "stats_rollupcell",
            columns=(
                "cut",
                "tenant_id",
                "period_kind",
                "period",
                "metric",
                "gender",
                "age_band",
                "person_group",
                "category",
                "arena",
                "value",
                "hidden",
                "project",
                "stage",
                "funder",
            ),
            null="\\N",
        )
        cursor.execute("ANALYZE stats_rollupcell")
    return created, count


@dataclass
class Timing:
    label: str
    median_ms: float
    worst_ms: float


def dashboard_timings(*, rounds: int = 7) -> list[Timing]:
    """Median and worst server time of the dashboard's answer for typical selections."""
    year = Period(PeriodKind.YEAR, dt.date(dt.date.today().year, 1, 1))
    quarter = Period(PeriodKind.QUARTER, dt.date(dt.date.today().year, 1, 1))
    selections = {
        "all municipalities, a year": selection_build(period=year),
        "all municipalities, a quarter, youth": selection_build(period=quarter, age="youth"),
        "one county, a year": selection_build(period=year, county=COUNTIES[3]),
        "one municipality, a year": selection_build(period=year, municipality_slug="bench005"),
    }
    results = []
    for label, selection in selections.items():
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            dashboard_answer(selection=selection)
            times.append((time.perf_counter() - started) * 1000)
        results.append(Timing(label, statistics.median(times), max(times)))
    return results
