"""The benchmark helpers work (the full 300 × 24 run is ``manage.py stats_bench``; see the README)."""

from __future__ import annotations

import pytest

from stats.bench import dashboard_timings, synthetic_rollup_create
from stats.models import RollupCell

pytestmark = pytest.mark.django_db


def test_synthetic_rollup_feeds_the_dashboard_timings() -> None:
    tenants, rows = synthetic_rollup_create(tenants=6, months=3)
    assert RollupCell.objects.filter(tenant__in=tenants).count() == rows > 0
    timings = dashboard_timings(rounds=1)
    assert [t.label for t in timings] == [
        "all municipalities, a year",
        "all municipalities, a quarter, youth",
        "one county, a year",
        "one municipality, a year",
    ]
    assert all(t.median_ms > 0 for t in timings)
