"""The staff people list in a large municipality (20,000 people) vs a small one (200) (issue 3).

Both registers are the benchmark database's own (``bench.volumes.register``), with the year of activities
beside them; each page is fetched as the tenant's coordinator, the two tenants interleaved request by
request. The load figure's mix gets the same pages in several municipalities (``people_list_pages``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from accounts.roles import Role
from bench.context import BenchContext
from bench.figures import figure
from bench.inprocess import expect_status, large_and_small, median_ms, signed_in_client
from bench.load import LoadRequest, load_requests
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema
from people.models import Person

PAGES = (("list", "/staff/people/"), ("name search", "/staff/people/?q=ande"))
ROUNDS = 5
PER_ROUND = 6
LIMIT_MS = 300.0
RATIO_LIMIT = 3.0
LOAD_TENANTS = 8


@load_requests(name="people list", order=30)
def people_list_pages(ctx: BenchContext) -> list[LoadRequest]:
    """Coordinators paging through and searching their register, in municipalities of every size."""
    requests = []
    for tenant in ctx.pick(LOAD_TENANTS):
        cookies = {settings.SESSION_COOKIE_NAME: ctx.session_cookie(tenant.slug, Role.COORDINATOR)}
        for page, path in PAGES:
            requests.append(
                LoadRequest(
                    name=f"people {page} on {tenant.slug}", host=tenant.host, path=path, cookies=cookies
                )
            )
    return requests


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
                f"rounds of {PER_ROUND} requests, both tenants interleaved; the registers of the benchmark "
                "database (bench.volumes.register)."
            ),
        )
        for (page, path), (ours, baseline) in ((item, timings[item[0]]) for item in PAGES)
    ]


@figure(name="people-list", order=60)
def measure(ctx: BenchContext) -> list[Figure]:
    large, small = large_and_small(ctx)
    clients = {tenant.slug: signed_in_client(ctx, tenant, Role.COORDINATOR) for tenant in (large, small)}
    counts = {}
    for tenant in (large, small):
        with ctx.tenant(tenant.slug):
            counts[tenant.slug] = Person.objects.count()
    use_public_schema()
    ctx.log(f"  {counts[large.slug]:,} people in {large.slug}, {counts[small.slug]:,} in {small.slug}")
    timings: dict[str, tuple[float, float]] = {}
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
    return people_figures(timings, large=counts[large.slug], small=counts[small.slug])
