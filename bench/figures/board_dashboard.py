"""The board's dashboard from the rollup vs a query per tenant schema in a loop (issue 4).

Ours: the rollup of the run's own municipalities (the tenants the benchmark built, no others), 24 months
each, as ``bench.stats_rollup.rollup_create`` writes it with COPY after emptying the rollup (TRUNCATE): the cells
``stats.metrics`` produces (months as totals; quarters and years by age, gender, group, category, arena,
project and funder; matches; pathways by arena and stage), small figures hidden, each municipality's
figures in proportion to its register as the plan sizes it (20,000 people in a large one, 2,000 in a
medium one, 200 in a small one). Municipalities without a county get one, so the county filter selects
some. Then the dashboard's whole server-side answer, ``dashboard_answer``, timed by
``dashboard_timings`` for four typical selections, and the rendered page, fetched by a board member on
the association's host. All inside a transaction rolled back afterwards.

The baseline is the obvious alternative without a rollup: visit every municipality's schema in turn and
count the same year's figures from its own tables (``stats.metrics.count_year``, the function the rollup
is computed with), over the year of weekly activities and attendance the benchmark database holds
(``bench.volumes``). Its cost grows with both the number of schemas and their data. When one loop takes
longer than ``ONE_LOOP_ENOUGH_MS`` it is not repeated: the comparison is then decided many times over,
and repeating it would only spend minutes of the run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from django.utils import timezone

from accounts.roles import Role
from bench.context import BenchContext
from bench.figures import figure
from bench.inprocess import expect_status, median_ms, rolled_back, signed_in_client
from bench.plan import BenchTenant, Size
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema
from bench.stats_rollup import Timing, counties_fill, dashboard_timings, rollup_create, window_months
from stats.metrics import count_year
from stats.models import RollupCell
from tenants.models import Municipality

MONTHS = 24
LIMIT_MS = 200.0
BASELINE_ROUNDS = 3
ONE_LOOP_ENOUGH_MS = 10_000.0
PAGE_ROUNDS = 3
PAGE_PER_ROUND = 3
HEADLINE = "all municipalities, a year"


def register_of(tenant: BenchTenant) -> int:
    """The people in a municipality's register, by the plan's size (as volume builders scale tenants)."""
    return tenant.scale(large=20_000, medium=2_000, small=200)


def rollup_tenants(ctx: BenchContext) -> list[tuple[BenchTenant, Municipality]]:
    """The run's municipalities with their tenant rows, in the plan's order (the large ones first)."""
    rows = {
        row.schema_name: row
        for row in Municipality.objects.filter(schema_name__in=[t.slug for t in ctx.municipalities])
    }
    found = [(planned, rows[planned.slug]) for planned in ctx.municipalities if planned.slug in rows]
    if not found:
        raise RuntimeError("None of the planned municipalities is in the database.")
    return found


def per_schema_loop(tenants: Sequence[Municipality], year: int) -> int:
    """The alternative: every schema's own tables counted in turn; returns the cells counted."""
    cells = 0
    for tenant in tenants:
        with tenant:
            cells += len(count_year(year).values)
    use_public_schema()
    return cells


def dashboard_figures(
    timings: Sequence[Timing],
    loop_ms: Sequence[float],
    page_ms: float,
    *,
    tenants: int,
    schemas: int,
    rows: int,
) -> list[Figure]:
    """The rollup's answer (headline selection) vs the loop, and the rendered page."""
    by_label = {timing.label: timing for timing in timings}
    headline = by_label[HEADLINE]
    baseline = statistics.median(loop_ms)
    others = "; ".join(
        f"{t.label} {t.median_ms:.1f} ms (worst {t.worst_ms:.1f})" for t in timings if t.label != HEADLINE
    )
    return [
        Figure(
            name=f"Board dashboard, {tenants} municipalities × {MONTHS} months: rollup vs a query per schema",
            ours=headline.median_ms,
            ours_label="rollup",
            baseline=baseline,
            baseline_label=f"count_year in each of {schemas} schemas",
            unit="ms",
            target=AllOf((AtMost(LIMIT_MS), RatioAtMost(1.0))),
            note=(
                f"dashboard_answer (bench.stats_rollup) on the rollup of the run's {tenants} municipalities, "
                f"{MONTHS} months each sized by the plan (bench.stats_rollup.rollup_create, {rows:,} cells), median "
                f"of dashboard_timings' rounds, {HEADLINE}. Other selections: {others}. The baseline loops over "
                f"the run's {schemas} municipality schemas counting the year from their own tables "
                f"(stats.metrics.count_year) over the benchmark's year of weekly activities and attendance, "
                f"{'median of ' + str(len(loop_ms)) + ' loops' if len(loop_ms) > 1 else 'one loop (over 10 s)'}."
            ),
        ),
        Figure(
            name=f"Board dashboard page, {tenants} municipalities: rendered for a board member",
            ours=page_ms,
            ours_label="whole page",
            unit="ms",
            target=AtMost(LIMIT_MS * 2),
            note=(
                "GET /board/statistics/ on the association's host as a board member, through Django's test "
                "client (server time: the rollup's queries, the charts' SVG, the template), median of "
                f"{PAGE_ROUNDS} rounds of {PAGE_PER_ROUND}. Its target allows rendering as much time again as "
                "the answer's."
            ),
        ),
    ]


@figure(name="board-dashboard", order=80)
def measure(ctx: BenchContext) -> list[Figure]:
    association = next(tenant for tenant in ctx.plan if tenant.is_association)
    client = signed_in_client(ctx, association, Role.BOARD)
    tenants = rollup_tenants(ctx)
    schemas = [row for _planned, row in tenants]
    # "One municipality" is the first large one: the selection with the most figures of its own.
    chosen = next((row for planned, row in tenants if planned.size == Size.LARGE), schemas[0])
    year = timezone.localdate().year
    with rolled_back():
        started = time.perf_counter()
        counties_fill(schemas)
        rows = rollup_create(
            tenants=[(row, register_of(planned)) for planned, row in tenants], months=MONTHS, only=True
        )
        # Counted from the table, so that the figure's name says what the dashboard read: the run's
        # municipalities with figures as far back as the 24 months go.
        first = window_months(timezone.localdate(), MONTHS)[0]
        covered = (
            RollupCell.objects.filter(tenant__in=schemas, period_kind=first.kind, period=first.start)
            .values("tenant_id")
            .distinct()
            .count()
        )
        ctx.log(
            f"  rollup: {rows:,} cells for {covered} municipalities in {time.perf_counter() - started:.1f} s"
        )
        timings = dashboard_timings(municipality_slug=chosen.schema_name, county=chosen.county)

        def page() -> object:
            response = client.get("/board/statistics/")
            expect_status(response, 200, "/board/statistics/")
            return response

        page_ms = median_ms({"page": page}, rounds=PAGE_ROUNDS, per_round=PAGE_PER_ROUND, warmup=1)["page"]
        use_public_schema()
    loop_ms = []
    per_schema_loop(schemas[:2], year)  # warm up
    for _ in range(BASELINE_ROUNDS):
        started = time.perf_counter()
        per_schema_loop(schemas, year)
        loop_ms.append((time.perf_counter() - started) * 1000)
        ctx.log(f"  a count_year in each of {len(schemas)} schemas: {loop_ms[-1]:,.0f} ms")
        if loop_ms[-1] > ONE_LOOP_ENOUGH_MS:
            break
    return dashboard_figures(timings, loop_ms, page_ms, tenants=covered, schemas=len(schemas), rows=rows)
