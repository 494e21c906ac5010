"""Match suggestions for one request among 5,000 people waiting vs 100 (issue 8).

A large municipality gets 5,000 waiting requests and a small one 100, by the same function as
``manage.py bench_match_suggestions`` (``fill_waiting_list``: families with languages, interests, children,
districts, a few opt-outs and protected identities), inside a transaction rolled back afterwards. The
suggestions for the same sample of newcomer requests are then timed with ``time_suggestions``, the two
tenants taking turns.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from bench.context import BenchContext
from bench.figures import figure
from bench.inprocess import large_and_small, rolled_back
from bench.management.commands.bench_match_suggestions import fill_waiting_list, time_suggestions
from bench.report import AllOf, AtMost, Figure, RatioAtMost
from bench.schemas import use_public_schema

LARGE = 5_000
SMALL = 100
SAMPLES = 10
ROUNDS = 3
LIMIT_MS = 1000.0
# The candidates are scored in Python, so fifty times the people may cost up to fifty times: the ratio
# is reported, and only a worse than linear growth fails.
RATIO_LIMIT = LARGE / SMALL


def suggestions_figure(ours: Sequence[float], baseline: Sequence[float], *, large: int, small: int) -> Figure:
    """The row from the seconds each request took among ``large`` and among ``small`` waiting."""
    if not ours or not baseline:
        raise ValueError("No suggestions were timed.")
    ours_ms = statistics.median(ours) * 1000
    return Figure(
        name=f"Match suggestions for one request: {large:,} waiting vs {small:,}",
        ours=ours_ms,
        ours_label=f"{large:,} waiting",
        baseline=statistics.median(baseline) * 1000,
        baseline_label=f"{small:,} waiting",
        unit="ms",
        target=AllOf((AtMost(LIMIT_MS), RatioAtMost(RATIO_LIMIT))),
        note=(
            f"match_suggestions (10 best) for {SAMPLES} newcomer requests, {ROUNDS} rounds, the two tenants "
            f"in turn: the median; the slowest among {large:,} took {max(ours) * 1000:.0f} ms. Waiting "
            "people made by fill_waiting_list (manage.py bench_match_suggestions) and rolled back afterwards."
        ),
    )


@figure(name="match-suggestions", order=70)
def measure(ctx: BenchContext) -> Figure:
    large, small = large_and_small(ctx)
    requests: dict[str, list[int]] = {}
    timings: dict[str, list[float]] = {large.slug: [], small.slug: []}
    with rolled_back():
        for tenant, size in ((large, LARGE), (small, SMALL)):
            with ctx.tenant(tenant.slug):
                requests[tenant.slug] = fill_waiting_list(size)[:SAMPLES]
                time_suggestions(requests[tenant.slug][:2])  # warm up: first queries, plans
        ctx.log(f"  {LARGE:,} waiting in {large.slug}, {SMALL} in {small.slug}")
        for round_number in range(ROUNDS):
            order = (large, small) if round_number % 2 == 0 else (small, large)
            for tenant in order:
                with ctx.tenant(tenant.slug):
                    timings[tenant.slug] += time_suggestions(requests[tenant.slug])
        use_public_schema()
    return suggestions_figure(timings[large.slug], timings[small.slug], large=LARGE, small=SMALL)
