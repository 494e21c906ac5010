"""``manage.py stats_bench``: time the board's dashboard on 300 synthetic municipalities × 24 months.

The municipalities are rows without schemas, sized like the benchmark's (a few large, most small); their
rollup and published figures are ``stats.bench.rollup_create``'s, as ``make bench`` writes them for its own
municipalities. Everything it writes is rolled back at the end (the rows a rolled-back COPY wrote wait for
VACUUM: run several times in a row on a server without autovacuum, it slows itself down).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from stats.bench import dashboard_timings, synthetic_rollup_create


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = "Time the statistics dashboard on a synthetic rollup (rolled back afterwards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenants", type=int, default=300)
        parser.add_argument("--months", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                started = time.perf_counter()
                tenants, rows = synthetic_rollup_create(tenants=options["tenants"], months=options["months"])
                self.stdout.write(
                    f"{len(tenants)} municipalities, {rows:,} published figures written in "
                    f"{time.perf_counter() - started:.1f} s"
                )
                for timing in dashboard_timings():
                    self.stdout.write(
                        f"{timing.label:40} median {timing.median_ms:6.1f} ms   worst {timing.worst_ms:6.1f} ms"
                    )
                raise _RollBack
        except _RollBack:
            self.stdout.write("Rolled back.")
