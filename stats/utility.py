"""How useful the published figures are: how many are shown, and how far they are from the truth.

Measured on closed periods (what the board sees for good), for the figures that count people (the perturbed
ones; participant study hours, a product of attendances and minutes, left out): the share of non-zero figures
shown as a non-zero number (all of them, and the age bands alone), the mean and largest absolute deviation
from the truth for figures of 10 or more, the largest relative error for figures of 20 or more, and how far
a published total is from the sum of its published parts, against the documented bound (±2 for each figure
in the sum). ``manage.py stats_utility`` prints them for this database (the demo), ``make bench`` for its
300 municipalities (``bench/figures/statistics_utility.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from stats.cellkey import MAX_PERTURBATION
from stats.dimensions import Period
from stats.disclosure import audited, structural_equations
from stats.metrics import CellKey
from stats.models import PublicationRevision, PublishedCell, PublishedStatus, RollupCell
from stats.publication import key_of

# The goals (docs/statistics.md): shown ≥ 90 %, deviation ≤ 2 for figures of 10 or more, relative
# error ≤ 10 % for 20 or more, totals within the bound of their parts.
SHOWN_GOAL = 90.0
DEVIATION_GOAL = 2.0
RELATIVE_GOAL = 10.0


@dataclass
class Utility:
    municipalities: int = 0
    figures: int = 0
    nonzero: int = 0
    shown_nonzero: int = 0
    withheld: int = 0
    age_nonzero: int = 0
    age_shown: int = 0
    from_10: int = 0
    deviation_sum: int = 0
    deviation_max: int = 0
    from_20: int = 0
    relative_sum: float = 0.0
    relative_max: float = 0.0
    sums: int = 0
    gap_sum: int = 0
    gap_max: int = 0
    gap_share_max: float = 0.0  # the largest gap as a share of its documented bound

    @property
    def shown_share(self) -> float:
        return 100 * self.shown_nonzero / self.nonzero if self.nonzero else 100.0

    @property
    def age_shown_share(self) -> float:
        return 100 * self.age_shown / self.age_nonzero if self.age_nonzero else 100.0

    @property
    def deviation_mean(self) -> float:
        return self.deviation_sum / self.from_10 if self.from_10 else 0.0

    @property
    def relative_mean(self) -> float:
        return 100 * self.relative_sum / self.from_20 if self.from_20 else 0.0

    @property
    def gap_mean(self) -> float:
        return self.gap_sum / self.sums if self.sums else 0.0

    def add(self, other: Utility) -> None:
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, max(mine, theirs) if name.endswith("_max") else mine + theirs)

    def lines(self) -> list[tuple[str, str, str]]:
        """(what, measured, goal) for a table."""
        return [
            (
                "Non-zero figures shown as a non-zero number",
                f"{self.shown_share:.1f} %",
                f"≥ {SHOWN_GOAL:.0f} %",
            ),
            ("… of them, the age bands", f"{self.age_shown_share:.1f} %", f"≥ {SHOWN_GOAL:.0f} %"),
            ("Figures withheld by the audit", f"{self.withheld}", "–"),
            (
                f"Mean absolute deviation, figures ≥ 10 ({self.from_10:,})",
                f"{self.deviation_mean:.2f}",
                f"≤ {DEVIATION_GOAL:.0f}",
            ),
            ("Largest absolute deviation, figures ≥ 10", f"{self.deviation_max}", f"≤ {DEVIATION_GOAL:.0f}"),
            (
                f"Mean relative error, figures ≥ 20 ({self.from_20:,})",
                f"{self.relative_mean:.2f} %",
                f"≤ {RELATIVE_GOAL:.0f} %",
            ),
            (
                "Largest relative error, figures ≥ 20",
                f"{100 * self.relative_max:.1f} %",
                f"≤ {RELATIVE_GOAL:.0f} %",
            ),
            (
                f"Total minus the sum of its parts, mean ({self.sums:,} sums)",
                f"{self.gap_mean:.2f}",
                "–",
            ),
            (
                "Largest such gap, as a share of its bound (2 × figures in the sum)",
                f"{100 * self.gap_share_max:.0f} %",
                "≤ 100 %",
            ),
        ]


def tenant_utility(*, tenant_id: int) -> Utility:
    """The figures of one municipality's closed periods against its rollup's true counts."""
    result = Utility(municipalities=1)
    closed = {
        Period(kind, start)
        for kind, start in PublicationRevision.objects.filter(tenant_id=tenant_id).values_list(
            "period_kind", "period"
        )
    }
    if not closed:
        return result
    truth = {
        key_of(row): row.value
        for row in RollupCell.objects.filter(tenant_id=tenant_id)
        if Period(row.period_kind, row.period) in closed and audited(row.metric)
    }
    published: dict[CellKey, int | None] = {
        key_of(row): row.value
        for row in PublishedCell.objects.filter(tenant_id=tenant_id, status=PublishedStatus.FINAL)
        if audited(row.metric)
    }
    for key in set(truth) | set(published):
        true, shown = truth.get(key, 0), published.get(key, 0)
        result.figures += 1
        if shown is None:
            result.withheld += 1
        if true > 0:
            result.nonzero += 1
            result.shown_nonzero += bool(shown)
            if (
                key.age_band
                and not key.gender
                and not key.person_group
                and not key.project
                and not key.funder
            ):
                result.age_nonzero += 1
                result.age_shown += bool(shown)
        if shown is None:
            continue
        if true >= 10:
            result.from_10 += 1
            result.deviation_sum += abs(shown - true)
            result.deviation_max = max(result.deviation_max, abs(shown - true))
        if true >= 20:
            result.from_20 += 1
            relative = abs(shown - true) / true
            result.relative_sum += relative
            result.relative_max = max(result.relative_max, relative)
    for parent, children in structural_equations(truth):
        if any(Period(member.period_kind, member.period) not in closed for member in (parent, *children)):
            continue  # an open quarter's closed months: the quarter itself is not published yet
        members = [published.get(member, 0) for member in (parent, *children)]
        if any(value is None for value in members):
            continue
        total, *parts = (int(value or 0) for value in members)
        gap = abs(total - sum(parts))
        result.sums += 1
        result.gap_sum += gap
        result.gap_max = max(result.gap_max, gap)
        result.gap_share_max = max(result.gap_share_max, gap / (MAX_PERTURBATION * (1 + len(parts))))
    return result


def utility_measure(*, tenant_ids: Iterable[int]) -> Utility:
    total = Utility()
    for tenant_id in tenant_ids:
        total.add(tenant_utility(tenant_id=tenant_id))
    return total


def utility_markdown(utility: Utility, *, where: str, day: dt.date) -> str:
    rows = "\n".join(f"| {what} | {measured} | {goal} |" for what, measured, goal in utility.lines())
    return (
        f"{where}, {day:%Y-%m-%d}: {utility.municipalities} municipalities, {utility.figures:,} published "
        f"figures of closed periods ({utility.nonzero:,} of them non-zero).\n\n"
        "| figure | measured | goal |\n|---|---|---|\n" + rows + "\n"
    )
