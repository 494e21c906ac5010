"""The staff people list with 20,000 people vs the same page with 100 (issue 3).

A large municipality is filled with 20,000 people and a small one with 100, by the same function as
``manage.py bench_people`` (``people_fill``), inside a transaction rolled back afterwards. Each page is then
fetched as the tenant's coordinator, the two tenants interleaved request by request.
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import Role
from bench.context import BenchContext
from bench.figures import figure
from bench.inprocess import expect_status, large_and_small, median_ms, rolled_back, signed_in_client
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema
from core.management.commands.bench_people import people_fill

LARGE_PEOPLE = 20_000
SMALL_PEOPLE = 100
PAGES = (("list", "/staff/people/"), ("name search", "/staff/people/?q=ande"))
ROUNDS = 5
PER_ROUND = 6
LIMIT_MS = 300.0
RATIO_LIMIT = 3.0


def people_figures(timings: dict[str, tuple[float, float]], *, large: int, small: int) -> list[Figure]:
    """One row per page from its (large, small) times in ms."""
    return [
        Figure(
            name=f"People list, {page}: {large:,} people vs {small:,}",
            ours=ours,
            ours_label=f"{large:,} people",
            baseline=baseline,
            baseline_label=f"{small:,} people",
            unit="ms",
            target=AllOf((AtMost(LIMIT_MS), RatioAtMost(RATIO_LIMIT))),
            note=(
                f"{path} as a coordinator, server time through Django's test client: median of {ROUNDS} "
                f"rounds of {PER_ROUND} requests, both tenants interleaved; people made by people_fill "
                "(manage.py bench_people) and rolled back afterwards."
            ),
        )
        for (page, path), (ours, baseline) in ((item, timings[item[0]]) for item in PAGES)
    ]


@figure(name="people-list", order=60)
def measure(ctx: BenchContext) -> list[Figure]:
    large, small = large_and_small(ctx)
    clients = {tenant.slug: signed_in_client(ctx, tenant, Role.COORDINATOR) for tenant in (large, small)}
    timings: dict[str, tuple[float, float]] = {}
    with rolled_back():
        for tenant, size in ((large, LARGE_PEOPLE), (small, SMALL_PEOPLE)):
            with ctx.tenant(tenant.slug):
                people_fill(size=size)
        use_public_schema()
        ctx.log(f"  {LARGE_PEOPLE:,} people in {large.slug}, {SMALL_PEOPLE} in {small.slug}")
        for page, path in PAGES:

            def fetch(slug: str, path: str = path) -> Callable[[], object]:
                def run() -> object:
                    response = clients[slug].get(path)
                    expect_status(response, 200, f"{slug}{path}")
                    return response

                return run

            measured = median_ms(
                {"ours": fetch(large.slug), "baseline": fetch(small.slug)}, rounds=ROUNDS, per_round=PER_ROUND
            )
            timings[page] = (measured["ours"], measured["baseline"])
    return people_figures(timings, large=LARGE_PEOPLE, small=SMALL_PEOPLE)
