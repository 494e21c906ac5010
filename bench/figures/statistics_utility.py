"""How useful the board's published figures are, on the benchmark's municipalities (issue 19).

Every municipality of the run is recomputed and published from its own tables (``stats.services``: the
count, the cell-key perturbation, the audit, as the nightly recompute does it), inside a transaction rolled
back afterwards, and its published figures of closed periods are compared with the true counts
(``stats.utility``): the share of non-zero figures shown as a number (all, and the age bands), the mean and
largest absolute deviation for figures of 10 or more, the largest relative error for figures of 20 or more,
and the largest gap between a total and the sum of its parts against the documented bound. The time the
publishing took is in the first row's note.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from bench.context import BenchContext
from bench.figures import figure
from bench.figures.board_dashboard import rollup_tenants
from bench.inprocess import rolled_back
from bench.report import AtLeast, AtMost, Figure
from bench.schemas import use_public_schema
from stats.services import tenant_recompute
from stats.utility import DEVIATION_GOAL, RELATIVE_GOAL, SHOWN_GOAL, Utility, utility_measure
from tenants.models import Municipality


def publish_all(tenants: Sequence[Municipality]) -> float:
    """Recompute and publish every municipality; returns the seconds it took."""
    started = time.perf_counter()
    for tenant in tenants:
        tenant_recompute(tenant=tenant)
    use_public_schema()
    return time.perf_counter() - started


def utility_figures(utility: Utility, *, seconds: float) -> list[Figure]:
    where = f"{utility.municipalities} municipalities"
    return [
        Figure(
            name=f"Statistics: non-zero figures shown as a number, {where}",
            ours=round(utility.shown_share, 1),
            unit="%",
            target=AtLeast(SHOWN_GOAL),
            note=(
                f"Closed periods' published figures of people ({utility.nonzero:,} non-zero of "
                f"{utility.figures:,}) against the true counts (stats.utility), after publishing every "
                f"municipality from its own tables in {seconds:.0f} s (count, cell-key perturbation, audit); "
                f"{utility.withheld} withheld by the audit. Before issue 19: 22 % of the age bands."
            ),
        ),
        Figure(
            name=f"Statistics: age-band figures shown as a number, {where}",
            ours=round(utility.age_shown_share, 1),
            unit="%",
            target=AtLeast(SHOWN_GOAL),
        ),
        Figure(
            name="Statistics: mean absolute deviation, figures of 10 or more",
            ours=round(utility.deviation_mean, 2),
            unit="",
            target=AtMost(DEVIATION_GOAL),
            note=f"{utility.from_10:,} figures; the largest deviation is the next row.",
        ),
        Figure(
            name="Statistics: largest absolute deviation, figures of 10 or more",
            ours=utility.deviation_max,
            unit="",
            target=AtMost(DEVIATION_GOAL),
        ),
        Figure(
            name="Statistics: largest relative error, figures of 20 or more",
            ours=round(100 * utility.relative_max, 1),
            unit="%",
            target=AtMost(RELATIVE_GOAL),
            note=f"{utility.from_20:,} figures, mean {utility.relative_mean:.2f} %.",
        ),
        Figure(
            name="Statistics: largest gap between a total and its parts, share of the documented bound",
            ours=round(100 * utility.gap_share_max, 1),
            unit="%",
            target=AtMost(100),
            note=(
                f"{utility.sums:,} sums; the bound is ±2 for each figure in the sum; mean gap "
                f"{utility.gap_mean:.2f}, largest {utility.gap_max}."
            ),
        ),
    ]


@figure(name="statistics-utility", order=85)
def measure(ctx: BenchContext) -> list[Figure]:
    tenants = [row for _planned, row in rollup_tenants(ctx)]
    with rolled_back():
        seconds = publish_all(tenants)
        ctx.log(f"  published {len(tenants)} municipalities in {seconds:.1f} s")
        utility = utility_measure(tenant_ids=[tenant.pk for tenant in tenants])
    return utility_figures(utility, seconds=seconds)
