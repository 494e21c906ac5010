"""Figures under 5 are hidden and cannot be recovered by differencing: total minus the others, one filter
minus another, the year minus the other months, a coarse age group minus a band."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from activities.models import Activity, ActivityCategory, Session
from people.models import Gender
from stats.dimensions import Hidden, Period, PeriodKind
from stats.metrics import CellKey, count_year
from stats.models import RollupCell
from stats.selectors import Figure, ReportScope, dashboard_build, report_cells_from_rollup, selection_build
from stats.services import tenant_recompute
from stats.suppression import Equation, coverage_equations, structural_equations, suppress
from stats.tests.factories import ActivityFactory, AttendanceFactory, PersonFactory, SessionFactory, at
from stats.tests.scenario import network_build
from tenants.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("varnamo_without_demo_data")]
YEAR = Period(PeriodKind.YEAR, dt.date(2025, 1, 1))


def crowd(
    *,
    women: int = 0,
    men: int = 0,
    day: dt.date,
    birth_year: int = 1990,
    activity: Activity | None = None,
    hour: int = 10,
) -> Session:
    """One session on ``day`` with that many women and men present (new people each time)."""
    activity = activity or ActivityFactory.create(category=ActivityCategory.LANGUAGE_CAFE)
    session = SessionFactory.create(activity=activity, starts_at=at(day, hour))
    for gender, count in ((Gender.WOMAN, women), (Gender.MAN, men)):
        for _ in range(count):
            AttendanceFactory.create(
                session=session, person=PersonFactory.create(gender=gender, birth_year=birth_year)
            )
    return session


def numeric(figure: Figure) -> bool:
    return figure.number is not None and not figure.hidden


def test_total_minus_the_other_genders_does_not_give_a_small_figure(
    varnamo: Municipality, vaggeryd: Municipality
) -> None:
    with varnamo:
        crowd(women=12, men=3, day=dt.date(2025, 3, 4))
    tenant_recompute(tenant=varnamo)
    board = dashboard_build(actor=None, selection=selection_build(period=YEAR, municipality_slug="varnamo"))
    gender = {row.key: row.figures["participants"] for row in board.table("gender").rows}
    total = board.totals.figures["participants"]
    assert total.text == "15"
    assert gender["man"].text == "<5"
    # Women are hidden too: 15 minus the shown genders is 15, the sum of two hidden figures.
    assert not numeric(gender["woman"])
    assert gender["woman"].text == ".."
    shown = sum(f.value or 0 for f in gender.values() if numeric(f))
    assert total.value is not None
    assert total.value - shown == 15


def test_all_municipalities_minus_the_others_gives_nothing_hidden(
    varnamo: Municipality, vaggeryd: Municipality, association: Municipality
) -> None:
    with varnamo:
        crowd(women=12, men=3, day=dt.date(2025, 3, 4))
    with vaggeryd:
        crowd(women=20, men=25, day=dt.date(2025, 3, 5))
    tenant_recompute(tenant=varnamo)
    tenant_recompute(tenant=vaggeryd)
    everyone = dashboard_build(actor=None, selection=selection_build(period=YEAR))
    county = dashboard_build(actor=None, selection=selection_build(period=YEAR, county="Jönköpings län"))
    only_vaggeryd = dashboard_build(
        actor=None, selection=selection_build(period=YEAR, municipality_slug="vaggeryd")
    )
    for board in (everyone, county):
        men = {row.key: row.figures["participants"] for row in board.table("gender").rows}["man"]
        vaggeryd_men = {row.key: row.figures["participants"] for row in only_vaggeryd.table("gender").rows}[
            "man"
        ]
        # The sum over municipalities leaves Värnamo's hidden men out, and says so.
        assert men.value == vaggeryd_men.value == 25
        assert men.partial
        assert men.text == "25*"
        # And the comparison table's hidden cells stay hidden in the total row's arithmetic.
        rows = {row.key: row.figures["participants"] for row in board.table("municipalities").rows}
        total_row = board.table("municipalities").total
        assert total_row is not None
        total = total_row.figures["participants"]
        assert total.value == sum(f.value or 0 for f in rows.values() if numeric(f))


def test_year_minus_the_other_months_does_not_give_a_small_month(varnamo: Municipality) -> None:
    with varnamo:
        activity = ActivityFactory.create()
        crowd(women=3, day=dt.date(2025, 1, 10), activity=activity)
        for month in range(2, 13):
            crowd(women=6 + month, day=dt.date(2025, month, 10), activity=activity)
    tenant_recompute(tenant=varnamo)
    board = dashboard_build(actor=None, selection=selection_build(period=YEAR, municipality_slug="varnamo"))
    months = [row.figures["attendances"] for row in board.table("trend").rows]
    year = board.totals.figures["attendances"]
    assert months[0].text == "<5"
    assert year.text == str(3 + sum(6 + m for m in range(2, 13)))
    hidden = [f for f in months if not numeric(f)]
    assert len(hidden) >= 2
    assert year.value is not None
    assert year.value - sum(f.value or 0 for f in months if numeric(f)) != 3
    # The first quarter cannot be undone either: if it is shown, two of its months are hidden.
    quarter = dashboard_build(
        actor=None,
        selection=selection_build(
            period=Period(PeriodKind.QUARTER, dt.date(2025, 1, 1)), municipality_slug="varnamo"
        ),
    )
    q_months = [row.figures["attendances"] for row in quarter.table("trend").rows]
    if numeric(quarter.totals.figures["attendances"]):
        assert sum(not numeric(f) for f in q_months) >= 2


def test_youth_minus_a_band_does_not_give_the_other_band(varnamo: Municipality) -> None:
    with varnamo:
        activity = ActivityFactory.create()
        crowd(women=9, day=dt.date(2025, 4, 2), birth_year=2009, activity=activity)  # 16: band 13–19
        crowd(women=2, day=dt.date(2025, 4, 3), birth_year=2002, activity=activity)  # 23: band 20–25
        crowd(women=30, day=dt.date(2025, 4, 4), birth_year=1980, activity=activity)
    tenant_recompute(tenant=varnamo)
    youth = dashboard_build(
        actor=None, selection=selection_build(period=YEAR, municipality_slug="varnamo", age="youth")
    )
    bands = {row.key: row.figures["participants"] for row in youth.table("age").rows}
    youth_total = youth.totals.figures["participants"]
    assert bands["20-25"].text == "<5"
    if numeric(youth_total):
        assert not numeric(bands["13-19"])


def test_hidden_values_never_leave_the_database(varnamo: Municipality) -> None:
    with varnamo:
        crowd(women=12, men=3, day=dt.date(2025, 3, 4))
    tenant_recompute(tenant=varnamo)
    hidden_rows = RollupCell.objects.filter(tenant=varnamo, hidden__gt=0)
    assert hidden_rows.exists()
    cells = report_cells_from_rollup(period=YEAR, scope=ReportScope(), tenant_ids=[varnamo.pk])
    assert cells
    for _tenant, _key, value, hidden in cells:
        assert (value is None) == bool(hidden)


def _determined_by_fractions(hidden: set[CellKey], equations: list[Equation]) -> set[CellKey]:
    """An independent check: exact rational elimination, pivoting on the last column (the service pivots on
    the first, modulo a prime). A hidden cell is determined when a reduced row names it alone."""
    columns = sorted(hidden)
    index = {key: i for i, key in enumerate(columns)}
    basis: dict[int, dict[int, Fraction]] = {}
    for parent, children in equations:
        row = _fraction_row(parent, children, index)
        for col in sorted(row, reverse=True):
            if col in basis and row.get(col):
                factor = row[col]
                for c, v in basis[col].items():
                    row[c] = row.get(c, Fraction(0)) - factor * v
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        lead = max(row)
        row = {c: v / row[lead] for c, v in row.items()}
        for other in basis.values():
            if other.get(lead):
                factor = other[lead]
                for c, v in row.items():
                    other[c] = other.get(c, Fraction(0)) - factor * v
                for c in [c for c, v in other.items() if not v]:
                    del other[c]
        basis[lead] = row
    return {columns[col] for col, row in basis.items() if len(row) == 1}


def _fraction_row(
    parent: CellKey, children: tuple[CellKey, ...], index: dict[CellKey, int]
) -> dict[int, Fraction]:
    row: dict[int, Fraction] = {}
    if parent in index:
        row[index[parent]] = row.get(index[parent], Fraction(0)) - 1
    for child in children:
        if child in index:
            row[index[child]] = row.get(index[child], Fraction(0)) + 1
    return {c: v for c, v in row.items() if v}


@pytest.mark.parametrize("seed", [1, 2])
def test_no_hidden_cell_is_determined_by_the_published_ones(varnamo: Municipality, seed: int) -> None:
    with varnamo:
        network_build(seed=seed, people=20, sessions=14)
        counter = count_year(2025)
    hidden = suppress(counter)
    assert any(why == Hidden.SMALL for why in hidden.values())
    people_cells = {key for key in hidden}
    equations = structural_equations(counter.values) + coverage_equations(counter)
    assert _determined_by_fractions(people_cells, equations) == set()
    # Without the complementary cells the same attack succeeds: the check has teeth.
    only_small = {key for key, why in hidden.items() if why == Hidden.SMALL}
    assert _determined_by_fractions(only_small, equations)
    # Every small figure is hidden; nothing else below 5 people is shown.
    for key, value in counter.values.items():
        if key.metric in ("participants", "attendances", "new_participants", "households") and value < 5:
            assert key in hidden
