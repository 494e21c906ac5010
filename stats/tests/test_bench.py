"""The benchmark's rollup: realistic figures for given municipalities, in the shapes the dashboard reads
(the full 300 × 24 run is ``make bench`` or ``manage.py stats_bench``; see the README)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Sum

from core.models.pathways import PATHWAY_ARENAS
from stats.bench import (
    ARENA_OF_CATEGORY,
    ARVS_SHARES,
    BAND_SHARES,
    CATEGORY_WEIGHTS,
    FUNDER_WEIGHTS,
    GENDER_SHARES,
    GROUP_SHARES,
    PATHWAY_ARENA_SHARES,
    SEASON,
    SHAPES,
    STAGE_SHARES,
    STEP_SHARES,
    counties_fill,
    dashboard_answer,
    dashboard_timings,
    network_cells,
    network_draw,
    published_cells,
    rollup_create,
    synthetic_rollup_create,
    window_months,
)
from stats.dimensions import (
    AGE_BAND_VALUES,
    ARENA_VALUES,
    ARVS_VALUES,
    CATEGORY_VALUES,
    FUNDER_VALUES,
    GENDER_VALUES,
    GROUP_VALUES,
    STAGE_VALUES,
    Period,
    PeriodKind,
)
from stats.metrics import METRICS, CellKey, Metric
from stats.models import ProjectRef, PublishedCell, PublishedStatus, RollupCell, cut_of
from stats.selectors import OVERVIEW_METRICS, selection_build
from tenants.models import Municipality

TODAY = dt.date(2026, 11, 28)


def test_the_shares_cover_every_value_of_the_vocabularies() -> None:
    assert set(GENDER_SHARES) == set(GENDER_VALUES)
    assert set(GROUP_SHARES) == set(GROUP_VALUES)
    assert set(BAND_SHARES) == set(AGE_BAND_VALUES)
    assert set(ARVS_SHARES) == set(ARVS_VALUES)
    assert set(CATEGORY_WEIGHTS) == set(ARENA_OF_CATEGORY) == set(CATEGORY_VALUES)
    assert set(ARENA_OF_CATEGORY.values()) <= set(ARENA_VALUES)
    assert set(FUNDER_WEIGHTS) == set(FUNDER_VALUES)
    assert set(STAGE_SHARES) == set(STEP_SHARES) == set(STAGE_VALUES)
    assert set(PATHWAY_ARENA_SHARES) == {arena.value for arena in PATHWAY_ARENAS}
    assert set(SHAPES) == set(METRICS) and len(SEASON) == 12
    for shares in (GENDER_SHARES, GROUP_SHARES, BAND_SHARES, ARVS_SHARES, STAGE_SHARES, STEP_SHARES):
        assert sum(shares.values()) == pytest.approx(1)


def test_the_window_is_the_last_months_up_to_this_one() -> None:
    months = window_months(TODAY, 24)
    assert len(months) == 24 and len(set(months)) == 24
    assert months[0] == Period(PeriodKind.MONTH, dt.date(2024, 12, 1))
    assert months[-1] == Period(PeriodKind.MONTH, dt.date(2026, 11, 1))
    assert months == sorted(months)


def test_a_large_network_has_more_of_everything_and_adds_up_over_time() -> None:
    window = window_months(TODAY, 24)
    large = network_draw(20_000, random.Random("large"))
    small = network_draw(200, random.Random("small"))
    assert large.participants > 20 * small.participants and large.sessions > 20 * small.sessions
    assert len(large.categories) > len(small.categories) and len(large.projects) >= len(small.projects)
    cells = network_cells(large, window, random.Random("large"))
    values = {key: value for key, (value, _key) in cells.items()}
    assert {key.period.year for key in cells} == {2024, 2025, 2026}
    months = [CellKey(PeriodKind.MONTH, dt.date(2025, m, 1), "attendances") for m in range(1, 13)]
    year = CellKey(PeriodKind.YEAR, dt.date(2025, 1, 1), "attendances")
    assert values[year] == sum(values[month] for month in months)  # additive over months
    participants_year = values[CellKey(PeriodKind.YEAR, dt.date(2025, 1, 1), "participants")]
    first_month = values[CellKey(PeriodKind.MONTH, dt.date(2025, 1, 1), "participants")]
    assert first_month < participants_year < 12 * first_month  # unique people do not add up
    # Months hold totals only, as stats.metrics counts them, but for pathways by stage and by arena.
    month_cuts = {(key.metric, cut_of(key._asdict())) for key in cells if key.period_kind == PeriodKind.MONTH}
    assert {cut for metric, cut in month_cuts if not metric.startswith("pathway")} == {""}
    assert {cut for metric, cut in month_cuts if metric == "pathways"} == {"", "stage", "arena"}
    assert {cut for metric, cut in month_cuts if metric == "pathway_steps"} == {"stage"}
    assert not any(key.period > TODAY for key in cells)
    assert all(value > 0 for value in values.values())


def test_a_metric_without_a_shape_gets_one_by_its_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        METRICS, "future", Metric("future", "Future", people=True, additive=True, partitions=frozenset())
    )
    cells = network_cells(
        network_draw(2_000, random.Random("m")), window_months(TODAY, 3), random.Random("m")
    )
    cuts = {cut_of(key._asdict()) for key in cells if key.metric == "future"}
    assert {"", "gender", "age_band+gender", "category", "arena", "project"} <= cuts  # as people_cells


def test_closed_periods_are_published_perturbed_and_the_open_month_has_totals_only() -> None:
    cells = network_cells(
        network_draw(2_000, random.Random("p")), window_months(TODAY, 24), random.Random("p")
    )
    published = published_cells(cells, TODAY)
    for key, (value, status) in published.items():
        truth = cells[key][0]
        assert abs(value - truth) <= 2
        if not METRICS[key.metric].people:
            assert value == truth  # sessions and hours count no one
        if status == PublishedStatus.PRELIMINARY:
            assert (key.period_kind, cut_of(key._asdict())) == (PeriodKind.MONTH, "")
    # 28 November: October is closed, November open (preliminary totals), Q4 and 2026 not published yet.
    kinds = {(key.period_kind, key.period): status for key, (_v, status) in published.items()}
    assert kinds[(PeriodKind.MONTH, dt.date(2026, 10, 1))] == PublishedStatus.FINAL
    assert kinds[(PeriodKind.MONTH, dt.date(2026, 11, 1))] == PublishedStatus.PRELIMINARY
    assert (PeriodKind.QUARTER, dt.date(2026, 10, 1)) not in kinds
    assert (PeriodKind.YEAR, dt.date(2026, 1, 1)) not in kinds
    assert kinds[(PeriodKind.YEAR, dt.date(2025, 1, 1))] == PublishedStatus.FINAL


def _rollup_of_demo(large: Municipality, small: Municipality) -> int:
    return rollup_create(tenants=[(large, 20_000), (small, 200)], months=24, today=TODAY)


@pytest.fixture
def rolled_up(db: None) -> tuple[Municipality, Municipality, int]:
    """Värnamo as a large municipality and Vaggeryd as a small one, their demo rollup replaced."""
    large = Municipality.objects.get(schema_name="varnamo")
    small = Municipality.objects.get(schema_name="vaggeryd")
    return large, small, _rollup_of_demo(large, small)


def test_the_rollup_is_written_for_the_given_municipalities_only(db: None) -> None:
    large = Municipality.objects.get(schema_name="varnamo")
    small = Municipality.objects.get(schema_name="vaggeryd")
    others = RollupCell.objects.exclude(tenant__in=[large, small])
    before = (others.count(), Municipality.objects.count())
    rows = _rollup_of_demo(large, small)
    assert PublishedCell.objects.filter(tenant__in=[large, small]).count() == rows > 0
    assert RollupCell.objects.filter(tenant__in=[large, small]).count() > rows
    assert (others.count(), Municipality.objects.count()) == before
    assert set(ProjectRef.objects.filter(tenant=large).values_list("project", flat=True)) == set(
        RollupCell.objects.filter(tenant=large).exclude(project=0).values_list("project", flat=True)
    )
    for tenant in (large, small):
        months = RollupCell.objects.filter(tenant=tenant, period_kind=PeriodKind.MONTH, metric="attendances")
        assert sorted(months.values_list("period", flat=True)) == [m.start for m in window_months(TODAY, 24)]


def test_only_leaves_the_given_municipalities_alone_in_the_rollup(db: None) -> None:
    large, other = Municipality.objects.filter(schema_name__in=["varnamo", "gislaved"]).order_by("-name")
    rollup_create(tenants=[(other, 200)], months=3, today=TODAY)
    assert RollupCell.objects.filter(tenant=other).exists()
    with connection.cursor() as cursor:  # as if committed: TRUNCATE refuses rows with checks pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    rows = rollup_create(tenants=[(large, 2_000)], months=3, today=TODAY, only=True)
    assert RollupCell.objects.count() == RollupCell.objects.filter(tenant=large).count() > 0
    assert PublishedCell.objects.count() == PublishedCell.objects.filter(tenant=large).count() == rows > 0
    assert set(ProjectRef.objects.values_list("tenant_id", flat=True)) <= {large.pk}


def test_a_large_municipality_has_larger_figures_than_a_small_one(
    db: None, rolled_up: tuple[Municipality, Municipality, int]
) -> None:
    large, small, _rows = rolled_up

    def year_total(tenant: Municipality, metric: str) -> int:
        cells = RollupCell.objects.filter(
            tenant=tenant, period_kind=PeriodKind.YEAR, period=dt.date(2025, 1, 1), metric=metric, cut=""
        )
        return int(cells.aggregate(total=Sum("value"))["total"] or 0)

    for metric in ("participants", "attendances", "sessions_held", "volunteer_minutes"):
        assert year_total(large, metric) > 20 * year_total(small, metric) > 0
    assert (
        RollupCell.objects.filter(tenant=large).count() > 2 * RollupCell.objects.filter(tenant=small).count()
    )


def test_the_rollup_has_every_metric_and_the_cuts_the_dashboard_reads(
    db: None, rolled_up: tuple[Municipality, Municipality, int]
) -> None:
    large, _small, _rows = rolled_up
    cells = RollupCell.objects.filter(tenant=large)
    assert set(cells.values_list("metric", flat=True)) == set(METRICS)
    year = cells.filter(period_kind=PeriodKind.YEAR, period=dt.date(2026, 1, 1))
    assert set(year.filter(cut="").values_list("metric", flat=True)) >= set(OVERVIEW_METRICS)
    assert set(year.values_list("cut", flat=True)) >= {
        "gender",
        "person_group",
        "age_band",
        "age_band+gender",
        "age_band+person_group",
        "category",
        "arena",
        "project",
        "funder",
        "age_band+gender+project",
        "age_band+funder+gender",
    }
    for metric in ("pathways", "pathway_steps"):
        assert set(year.filter(metric=metric).values_list("cut", flat=True)) >= {"stage", "arena+stage"}
    assert not year.filter(metric="pathway_steps", cut="").exists()  # steps are counted by stage only
    assert year.filter(metric="active_matches", cut="").exists()
    quarters = cells.filter(period_kind=PeriodKind.QUARTER, period__year=2026)
    assert sorted(set(quarters.values_list("period__month", flat=True))) == [1, 4, 7, 10]
    months = cells.filter(period_kind=PeriodKind.MONTH)
    assert set(months.values_list("cut", flat=True)) == {"", "stage", "arena"}
    for row in cells.filter(period=dt.date(2026, 1, 1))[:500]:
        dims = {name: getattr(row, name) for name in CellKey._fields if name not in ("period_kind", "period")}
        assert row.cut == cut_of(dims)


def test_the_published_figures_are_within_2_of_the_truth(
    db: None, rolled_up: tuple[Municipality, Municipality, int]
) -> None:
    large, small, _rows = rolled_up
    published = PublishedCell.objects.filter(tenant__in=[large, small])
    truth = {
        (row.tenant_id, CellKey(*(getattr(row, name) for name in CellKey._fields))): row.value
        for row in RollupCell.objects.filter(tenant__in=[large, small])
    }
    assert published.count() > 1000
    for row in published:
        key = (row.tenant_id, CellKey(*(getattr(row, name) for name in CellKey._fields)))
        assert row.true_value == truth[key] and abs(row.value - row.true_value) <= 2


def test_the_dashboard_answers_from_it(db: None, rolled_up: tuple[Municipality, Municipality, int]) -> None:
    large, _small, _rows = rolled_up
    year = Period(PeriodKind.YEAR, dt.date(2025, 1, 1))
    answer = dashboard_answer(selection=selection_build(period=year, municipality_slug="varnamo"))
    cell = PublishedCell.objects.get(
        tenant=large, period_kind=PeriodKind.YEAR, period=year.start, metric="participants", cut=""
    )
    assert answer.totals.figures["participants"].value == cell.value > 1000
    trend = answer.table("trend")
    assert sum(1 for row in trend.rows if row.figures["attendances"].value) == 12
    pathways = answer.table("pathways")
    assert pathways.total is not None and pathways.total.figures["all"].value
    assert all(row.figures["started"].value for row in pathways.rows)  # each arena, in a large network


def test_counties_are_given_only_where_missing(db: None) -> None:
    tenants = list(Municipality.objects.filter(schema_name__in=["varnamo", "vaggeryd"]))
    before = {tenant.schema_name: tenant.county for tenant in tenants}
    Municipality.objects.filter(schema_name="vaggeryd").update(county="")
    tenants = list(
        Municipality.objects.filter(schema_name__in=["varnamo", "vaggeryd"]).order_by("schema_name")
    )
    counties_fill(tenants)
    stored = dict(
        Municipality.objects.filter(pk__in=[t.pk for t in tenants]).values_list("schema_name", "county")
    )
    assert stored["varnamo"] == before["varnamo"] and stored["vaggeryd"] == "Län 1"


def test_synthetic_rollup_feeds_the_dashboard_timings(db: None) -> None:
    tenants, rows = synthetic_rollup_create(tenants=3, months=15)
    assert PublishedCell.objects.filter(tenant__in=tenants).count() == rows > 0
    largest = RollupCell.objects.filter(tenant=tenants[0]).count()
    assert all(largest > RollupCell.objects.filter(tenant=tenant).count() for tenant in tenants[1:])
    timings = dashboard_timings(rounds=1)
    assert [t.label for t in timings] == [
        "all municipalities, a year",
        "all municipalities, a quarter, youth",
        "one county, a year",
        "one municipality, a year",
    ]
    assert all(t.median_ms > 0 for t in timings)
