"""The features' figures (people list, attendance, suggestions, board dashboard): their rows, and each
figure run end to end on the demo tenants with tiny volumes, leaving nothing behind."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity
from bench.config import BenchConfig
from bench.context import BenchContext
from bench.figures import attendance, board_dashboard, matching, people_list
from bench.inprocess import large_and_small, median_ms
from bench.plan import BenchTenant, Size, plan_tenants
from bench.stats_rollup import Timing
from bench.volumes.accounts import bench_email
from matching.models import MatchRequest
from people.models import Person
from stats.models import RollupCell
from tenants.models import Municipality, TenantKind


def test_the_designated_tenants_are_the_first_large_and_a_small_one() -> None:
    ctx = BenchContext(config=BenchConfig(tenants=20), plan=plan_tenants(20))
    large, small = large_and_small(ctx)
    assert (large.slug, large.size) == ("m001", Size.LARGE)
    assert small.size == Size.SMALL and small.slug != large.slug
    with pytest.raises(RuntimeError, match="at least two"):
        large_and_small(BenchContext(config=BenchConfig(tenants=1), plan=plan_tenants(1)))


def test_median_ms_runs_every_variant_interleaved_after_the_warmup() -> None:
    calls: list[str] = []
    measured = median_ms(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=2, per_round=3, warmup=1
    )
    assert calls[:2] == ["a", "b"]  # warm-up
    assert calls.count("a") == calls.count("b") == 1 + 2 * 3
    assert calls[2:6] == ["a", "b", "b", "a"]  # which goes first alternates
    assert set(measured) == {"a", "b"} and all(value >= 0 for value in measured.values())


def test_people_rows_fail_when_the_large_page_is_slow_or_grows_too_much() -> None:
    rows = people_list.people_figures(
        {"list": (30.0, 20.0), "name search": (90.0, 20.0)}, large=20_000, small=100
    )
    assert [(row.ratio, row.met) for row in rows] == [(1.5, True), (4.5, False)]
    slow = people_list.people_figures({"list": (310.0, 200.0), "name search": (1, 1)}, large=2, small=1)
    assert not slow[0].met and slow[1].met


def test_the_attendance_save_may_grow_with_its_rows_but_the_page_may_not() -> None:
    rows = attendance.attendance_figures({"GET": (40.0, 10.0), "POST": (90.0, 10.0)}, large=200, small=20)
    assert [row.met for row in rows] == [False, True]
    assert attendance.sheet_post_data([3, 5], "present") == {
        "mark-3": "present",
        "mark-5": "present",
        "rest_absent": "on",
        "minutes": "90",
        "action": "save",
    }


def test_suggestions_must_answer_within_a_second() -> None:
    fast = matching.suggestions_figure([0.05, 0.04, 0.06], [0.01], large=5000, small=100)
    assert fast.met and fast.ours == pytest.approx(50) and fast.ratio == pytest.approx(5)
    assert not matching.suggestions_figure([1.2], [0.5], large=5000, small=100).met
    with pytest.raises(ValueError):
        matching.suggestions_figure([], [0.1], large=1, small=1)


def test_the_dashboard_must_beat_the_loop_and_answer_within_200_ms() -> None:
    timings = [Timing(board_dashboard.HEADLINE, 12.0, 20.0), Timing("one county, a year", 5.0, 6.0)]
    answer, page = board_dashboard.dashboard_figures(
        timings, [40.0, 50.0, 60.0], 80.0, tenants=3, schemas=3, rows=9
    )
    assert answer.ours == 12.0 and answer.baseline == 50.0 and answer.met
    assert "one county, a year 5.0 ms" in answer.note and page.met
    slower, _ = board_dashboard.dashboard_figures(timings, [10.0], 80.0, tenants=3, schemas=3, rows=9)
    assert not slower.met  # the loop was faster


def test_the_dashboard_rollup_sizes_each_municipality_by_the_plan() -> None:
    large, medium, small = (BenchTenant(slug=f"m{n}", name="", size=size) for n, size in enumerate(Size))
    assert [board_dashboard.register_of(t) for t in (large, medium, small)] == [20_000, 2_000, 200]


@pytest.mark.django_db
def test_the_dashboard_rollup_is_for_the_planned_municipalities_only() -> None:
    plan = [
        BenchTenant(slug="iv", name="Internationella Vänner", size=Size.MEDIUM, kind=TenantKind.ASSOCIATION),
        BenchTenant(slug="vaggeryd", name="Vaggeryd", size=Size.SMALL),
        BenchTenant(slug="m999", name="Not built", size=Size.SMALL),
        BenchTenant(slug="varnamo", name="Värnamo", size=Size.LARGE),
    ]
    ctx = BenchContext(config=BenchConfig(tenants=3), plan=plan)
    found = board_dashboard.rollup_tenants(ctx)
    assert [(planned.slug, row.schema_name) for planned, row in found] == [
        ("vaggeryd", "vaggeryd"),
        ("varnamo", "varnamo"),
    ]
    with pytest.raises(RuntimeError, match="None of the planned"):
        board_dashboard.rollup_tenants(BenchContext(config=BenchConfig(tenants=1), plan=plan[2:3]))


# End to end, with the demo tenants standing in for a large and a small municipality.


@pytest.fixture
def logged() -> list[str]:
    return []


@pytest.fixture
def demo_ctx(db: None, monkeypatch: pytest.MonkeyPatch, logged: list[str]) -> BenchContext:
    for slug, role in (
        ("varnamo", Role.COORDINATOR),
        ("varnamo", Role.VOLUNTEER),
        ("vaggeryd", Role.COORDINATOR),
        ("iv", Role.BOARD),
    ):
        with schema_context(slug):
            User.objects.create(email=bench_email(role, slug), role=role, full_name=f"Bench {role}")
    for module, names in (
        (people_list, {"ROUNDS": 1, "PER_ROUND": 1}),
        (attendance, {"LARGE": 6, "SMALL": 2, "ROUNDS": 1, "PER_ROUND": 1}),
        (matching, {"LARGE": 12, "SMALL": 6, "SAMPLES": 2, "ROUNDS": 1}),
        (board_dashboard, {"BASELINE_ROUNDS": 1, "PAGE_ROUNDS": 1, "PAGE_PER_ROUND": 1}),
    ):
        for name, value in names.items():
            monkeypatch.setattr(module, name, value)
    plan = [
        BenchTenant(slug="iv", name="Internationella Vänner", size=Size.MEDIUM, kind=TenantKind.ASSOCIATION),
        BenchTenant(slug="varnamo", name="Värnamo", size=Size.LARGE),
        BenchTenant(slug="vaggeryd", name="Vaggeryd", size=Size.SMALL),
    ]
    return BenchContext(config=BenchConfig(tenants=2), plan=plan, log=logged.append)


def _counts() -> tuple[int, int, int, int]:
    with schema_context("varnamo"):
        local = (Person.objects.count(), Activity.objects.count(), MatchRequest.objects.count())
    return (*local, RollupCell.objects.count())


@pytest.mark.slow
def test_each_feature_figure_measures_real_pages_and_leaves_nothing_behind(
    demo_ctx: BenchContext, logged: list[str]
) -> None:
    before, tenants = _counts(), Municipality.objects.count()
    counties = dict(Municipality.objects.values_list("schema_name", "county"))
    rows = [
        *people_list.measure(demo_ctx),
        *attendance.measure(demo_ctx),
        matching.measure(demo_ctx),
        *board_dashboard.measure(demo_ctx),
    ]
    assert len(rows) == 7
    assert all(row.ours > 0 and not row.error for row in rows)
    assert all(row.baseline is not None and row.baseline > 0 for row in rows[:6])
    # The rollup is the run's own municipalities', not synthetic ones beside them.
    assert "2 municipalities" in rows[5].name and "2 municipalities" in rows[6].name
    assert "each of 2 schemas" in rows[5].baseline_label
    assert any("cells for 2 municipalities" in line for line in logged)
    assert _counts() == before and Municipality.objects.count() == tenants
    assert dict(Municipality.objects.values_list("schema_name", "county")) == counties
