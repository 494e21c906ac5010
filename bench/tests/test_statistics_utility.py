"""The statistics utility figure (issue 19): its rows and targets, and the whole figure run on the demo
municipalities (publishing them from their own tables), leaving nothing behind."""

from __future__ import annotations

from datetime import datetime

import pytest

from bench.config import BenchConfig
from bench.context import BenchContext
from bench.figures import discover, statistics_utility
from bench.plan import BenchTenant, Size
from bench.report import RunInfo, render_markdown
from stats.models import PublicationRevision, PublishedCell, RecordKeySecret, RollupCell
from stats.utility import Utility
from tenants.models import TenantKind


def test_the_figure_is_registered_after_the_dashboards() -> None:
    orders = {registered.name: registered.order for registered in discover()}
    assert orders["statistics-utility"] > orders["board-dashboard"]


def test_the_rows_meet_their_targets_only_within_the_goals() -> None:
    good = Utility(
        municipalities=3,
        figures=100,
        nonzero=80,
        shown_nonzero=76,
        age_nonzero=10,
        age_shown=10,
        from_10=40,
        deviation_sum=16,
        deviation_max=2,
        from_20=20,
        relative_sum=0.2,
        relative_max=0.1,
        sums=10,
        gap_sum=5,
        gap_max=3,
        gap_share_max=0.5,
    )
    rows = statistics_utility.utility_figures(good, seconds=12)
    assert [row.ours for row in rows] == [95.0, 100.0, 0.4, 2, 10.0, 50.0]
    assert all(row.met for row in rows)
    assert "in 12 s" in rows[0].note and "22 %" in rows[0].note
    bad = Utility(municipalities=1, nonzero=10, shown_nonzero=8, from_10=1, deviation_sum=3, deviation_max=3)
    assert [row.met for row in statistics_utility.utility_figures(bad, seconds=1)][:4] == [
        False,
        True,
        False,
        False,
    ]
    table = render_markdown(rows, RunInfo(tenants=3, started=datetime.now().astimezone()))
    assert "| Statistics: non-zero figures shown as a number, 3 municipalities | 95 % |" in table


@pytest.mark.django_db
def test_the_figure_publishes_the_runs_municipalities_and_leaves_nothing_behind() -> None:
    plan = [
        BenchTenant(slug="iv", name="Internationella Vänner", size=Size.MEDIUM, kind=TenantKind.ASSOCIATION),
        BenchTenant(slug="varnamo", name="Värnamo", size=Size.LARGE),
        BenchTenant(slug="vaggeryd", name="Vaggeryd", size=Size.SMALL),
    ]
    logged: list[str] = []
    ctx = BenchContext(config=BenchConfig(tenants=2), plan=plan, log=logged.append)
    tables = (RollupCell, PublishedCell, PublicationRevision, RecordKeySecret)
    before = [model.objects.count() for model in tables]
    rows = statistics_utility.measure(ctx)
    assert len(rows) == 6 and all(not row.error for row in rows)
    assert "2 municipalities" in rows[0].name
    # The demo's year in Värnamo: most figures shown, none far from the truth.
    assert rows[0].ours > 80 and rows[3].ours <= 2 and rows[3].met and rows[5].met
    assert any("published 2 municipalities" in line for line in logged)
    assert [model.objects.count() for model in tables] == before
