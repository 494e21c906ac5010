"""The audit: could anyone work out a count of 1 to 4 people from what the board has been shown?

The cell-key perturbation (``stats.cellkey``) gives every figure a fixed noise of at most ±2, so no single
figure gives away a small count. But figures are tied to each other by exact sums (genders and age bands split
a total; months add up to a quarter; coarse age groups are bands added up; two cuts covering the same people
are equal; a funder's projects add up to the funder) and by "at most" (a participant attended at least once).
At the extremes of the noise, those ties can pin a figure: if a total went down by 2 and both its parts up by
2, the parts are known exactly. Such combinations are rare, but the board sees thousands of figures.

So before anything is published (and whenever a correction changes what is true behind a published figure),
we do what an attacker would: every figure the board has seen is a range of possible true values (the
documented table read backwards, ``truths_for``, for each value ever published of it, shifted by how much the
truth has changed since: the strongest attacker knows every later change exactly); the ranges are narrowed
through every sum and every "at most" until nothing changes (as statistical offices audit suppressed tables,
e.g. τ-ARGUS's audit, but by interval propagation rather than linear programming). A true count of 1 to 4
whose range is a single value is *pinned*. The publication then draws that figure and its neighbours in the
pinning sums again (``stats.cellkey.redraw``: another fixed key) and audits again; a figure that cannot be
freed is withheld ("..").

What the audit assumes the board knows, cautiously: a month's totals (preliminary while it is open, shown
from 12 up) are known exactly once they reach 10, as if every preliminary value had been seen and combined;
a figure never published (a cut of an open period) is unknown; a figure shown as zero may be a small figure
drawn to zero, so it is as uncertain as any other. Figures under 10, zeros included, must never be pinned: a
figure known exactly stays known, and a correction within the revision tolerance can turn a 9 into a 4.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from stats.dimensions import (
    AGE_BAND_VALUES,
    ALL,
    ARENA_VALUES,
    ARVS_VALUES,
    CATEGORY_VALUES,
    COARSE_GROUPS,
    COARSE_OF_BAND,
    GENDER_VALUES,
    GROUP_VALUES,
    PATHWAY_ARENA_VALUES,
    STAGE_VALUES,
    Period,
    PeriodKind,
    parent_period,
    periods_of_day,
)
from stats.metrics import METRICS, CellCounter, CellKey, Scope, scope_of, with_scope

Equation = tuple[CellKey, tuple[CellKey, ...]]  # parent = sum of children
Order = tuple[CellKey, CellKey]  # first <= second

# The audit protects every figure under this, zeros included: a figure the board knows exactly stays known,
# and a figure of up to 9 can become one of 1 to 4 through corrections that stay within the revision
# tolerance (stats.publication); a zero known exactly becomes a known 1 when someone is added.
PROTECT_BELOW = 10
# Metrics that are not counts of people or attendances are not protected (sessions, hours); participant
# minutes are published from the attendances behind them and are not audited on their own.
NOT_AUDITED = frozenset({"participant_minutes"})
UNBOUNDED = math.inf


def audited(metric: str) -> bool:
    return METRICS[metric].people and metric not in NOT_AUDITED


def _defined_in(scope: Scope, key: CellKey) -> bool:
    """Whether cells of this shape (its people dimensions) are stored for a scope of that kind."""
    kind = scope[0]
    if kind in ("category", "arena"):
        return key.gender == ALL and key.person_group == ALL and key.age_band == ALL
    if kind in ("project", "funder"):
        return key.person_group == ALL and key.age_band in (ALL, *ARVS_VALUES)
    return True


def structural_equations(values: Iterable[CellKey], complete: bool = False) -> list[Equation]:
    """Sums that hold by construction: partitions of a total and months adding up to quarters and years.

    With ``complete``, each sum lists every part the tables show, zeros included (the board sees a zero as
    "–" too, and a zero can hide a small figure drawn to zero); otherwise only the parts given.
    """
    groups: dict[tuple[CellKey, str], list[CellKey]] = defaultdict(list)
    for key in values:
        metric = METRICS[key.metric]
        if not metric.people:
            continue
        for dim in ("gender", "person_group", "category", "arena", "stage"):
            if dim in metric.partitions and getattr(key, dim) != ALL:
                groups[(key._replace(**{dim: ALL}), dim)].append(key)  # type: ignore[arg-type]
        if "age_band" in metric.partitions and key.age_band != ALL:
            age = key.age_band
            if key.project or key.funder:
                if age in ARVS_VALUES:
                    groups[(key._replace(age_band=ALL), "age-arvs")].append(key)
            else:
                if age in AGE_BAND_VALUES:
                    groups[(key._replace(age_band=ALL), "age-bands")].append(key)
                # Coarse groups with "unknown" split a total only where bands exist: without gender and
                # group (people of unknown age have no coarse group, so women ≠ the women of the groups).
                plain = key.gender == ALL and key.person_group == ALL
                if plain and (age in COARSE_GROUPS or (age not in COARSE_OF_BAND and age in AGE_BAND_VALUES)):
                    groups[(key._replace(age_band=ALL), "age-coarse")].append(key)
                if age in COARSE_OF_BAND:
                    groups[(key._replace(age_band=COARSE_OF_BAND[age]), "age-nest")].append(key)
        if metric.additive:
            parent = parent_period(Period(key.period_kind, key.period))
            if parent is not None:
                groups[(key._replace(period_kind=parent.kind, period=parent.start), "time")].append(key)
    if not complete:
        return [(parent, tuple(children)) for (parent, _family), children in groups.items()]
    return [(parent, _every_part(parent, family, children)) for (parent, family), children in groups.items()]


def _every_part(parent: CellKey, family: str, given: list[CellKey]) -> tuple[CellKey, ...]:
    """Every part of a sum as the tables show it, whether its figure is zero or not."""
    vocabulary: dict[str, tuple[str, ...]] = {
        "gender": GENDER_VALUES,
        "person_group": GROUP_VALUES,
        "category": CATEGORY_VALUES,
        "arena": PATHWAY_ARENA_VALUES if parent.metric in ("pathways", "pathway_steps") else ARENA_VALUES,
        "stage": STAGE_VALUES,
    }
    if family in vocabulary:
        return tuple(parent._replace(**{family: value}) for value in vocabulary[family])  # type: ignore[arg-type]
    if family == "age-arvs":
        return tuple(parent._replace(age_band=value) for value in ARVS_VALUES)
    if family == "age-bands":
        return tuple(parent._replace(age_band=value) for value in AGE_BAND_VALUES)
    if family == "age-coarse":
        unplaced = [band for band in AGE_BAND_VALUES if band not in COARSE_OF_BAND]
        return tuple(parent._replace(age_band=value) for value in (*COARSE_GROUPS, *unplaced))
    if family == "age-nest":
        return tuple(parent._replace(age_band=value) for value in COARSE_GROUPS[parent.age_band])
    if family == "time":
        kind = given[0].period_kind
        parts = Period(parent.period_kind, parent.period).months()
        if kind == PeriodKind.QUARTER:
            parts = [periods_of_day(month.start)[1] for month in parts[::3]]
        return tuple(parent._replace(period_kind=part.kind, period=part.start) for part in parts)
    return tuple(given)


def coverage_equations(counter: CellCounter) -> list[Equation]:
    """Sums that hold for this data: cuts covering the same people are equal; cuts splitting another add up."""
    by_scope: dict[tuple[str, Period, Scope], list[CellKey]] = defaultdict(list)
    for key in counter.values:
        if METRICS[key.metric].people:
            by_scope[(key.metric, Period(key.period_kind, key.period), scope_of(key))].append(key)
    equations: list[Equation] = []
    per_period: dict[tuple[str, Period], dict[Scope, frozenset[object]]] = defaultdict(dict)
    for (metric, period, scope), units in counter.coverage.items():
        per_period[(metric, period)][scope] = frozenset(units)
    for (metric, period), scopes in per_period.items():
        same: dict[frozenset[object], list[Scope]] = defaultdict(list)
        for scope, members in sorted(scopes.items(), key=lambda item: str(item[0])):
            same[members].append(scope)
        for group in same.values():
            leader, *others = group
            for other in others:
                for key in by_scope[(metric, period, leader)]:
                    mirror = with_scope(key, other)
                    if mirror in counter.values:
                        equations.append((key, (mirror,)))
        splits: list[tuple[Scope, list[Scope]]] = []
        if not METRICS[metric].additive or "category" not in METRICS[metric].partitions:
            splits.append((("all", ""), [s for s in scopes if s[0] == "category"]))
            splits.append((("all", ""), [s for s in scopes if s[0] == "arena"]))
        for scope in scopes:
            if scope[0] == "funder":
                projects = [
                    s for s in scopes if s[0] == "project" and _funder_of(counter, metric, s) == scope[1]
                ]
                splits.append((scope, projects))
        for parent, children in splits:
            if len(children) < 2 or parent not in scopes:
                continue
            union: set[object] = set()
            total = 0
            for child in children:
                union |= scopes[child]
                total += len(scopes[child])
            if total != len(union) or union != scopes[parent]:
                continue
            for key in by_scope[(metric, period, parent)]:
                if all(_defined_in(child, key) for child in children):
                    parts = tuple(with_scope(key, child) for child in children)
                    equations.append((key, tuple(part for part in parts if part in counter.values)))
    return equations


def _funder_of(counter: CellCounter, metric: str, scope: Scope) -> str | None:
    return counter.project_funders.get(int(scope[1]))


# Unique counts whose month is at most its quarter and its quarter at most its year: whoever took part (or
# was active) in the shorter period did in the longer. Not pathways: a stage held at a month's end may be
# left by the quarter's.
GROWING = frozenset({"participants", "households", "active_matches"})


def order_relations(values: Iterable[CellKey]) -> list[Order]:
    """ "At most" that hold by construction: a participant attended at least once; new participants and
    households reached are participants; LOK attendances are attendances; participants, households and
    active matches of a month are at most those of its quarter, and of a quarter at most those of its
    year."""
    present = set(values)
    orders: list[Order] = []
    larger_metric = {
        "participants": "attendances",
        "new_participants": "participants",
        "households": "participants",
        "lok_attendances": "attendances",
    }
    for key in present:
        if not audited(key.metric):
            continue
        other = larger_metric.get(key.metric)
        if other is not None and key._replace(metric=other) in present:
            orders.append((key, key._replace(metric=other)))
        if key.metric in GROWING:
            parent = parent_period(Period(key.period_kind, key.period))
            if parent is not None:
                larger = key._replace(period_kind=parent.kind, period=parent.start)
                if larger in present:
                    orders.append((key, larger))
    return orders


# --- Narrowing ranges -------------------------------------------------------------------------------------

# What is known about a figure's true value: the values it may have, or None when nothing is known.
Known = frozenset[int] | None


@dataclass
class Ranges:
    """Ranges of possible true values, indexed by variable, narrowed through sums and "at most"."""

    keys: list[CellKey]
    low: list[float]
    high: list[float]
    allowed: dict[int, frozenset[int]]
    sums: list[tuple[int, ...]] = field(default_factory=list)  # parent first, then its parts
    orders: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def build(
        cls, known: dict[CellKey, Known], equations: Iterable[Equation], orders: Iterable[Order]
    ) -> Ranges:
        keys = list(known)
        index = {key: number for number, key in enumerate(keys)}
        low, high, allowed = [], [], {}
        for number, key in enumerate(keys):
            values = known[key]
            if values is None:
                low.append(0.0)
                high.append(UNBOUNDED)
            else:
                low.append(float(min(values)))
                high.append(float(max(values)))
                if len(values) != max(values) - min(values) + 1:
                    allowed[number] = values
        ranges = cls(keys, low, high, allowed)
        for parent, children in equations:
            members = (parent, *children)
            if all(member in index for member in members):
                ranges.sums.append(tuple(index[member] for member in members))
        for small, large in orders:
            if small in index and large in index:
                ranges.orders.append((index[small], index[large]))
        return ranges

    def _narrow(self, var: int, low: float, high: float) -> bool:
        low, high = max(low, self.low[var], 0.0), min(high, self.high[var])
        low, high = math.ceil(low - 1e-9), high if high == UNBOUNDED else math.floor(high + 1e-9)
        values = self.allowed.get(var)
        if values is not None:
            inside = [value for value in values if low <= value <= high]
            low, high = (min(inside), max(inside)) if inside else (1, 0)
        if (low, high) == (self.low[var], self.high[var]):
            return False
        self.low[var], self.high[var] = low, high
        return True

    def narrow(self) -> bool:
        """Narrow until nothing changes. False when some range becomes empty: the knowledge contradicts
        itself (which true figures never do)."""
        relations: list[list[int]] = [[] for _key in self.keys]
        for number, members in enumerate(self.sums):
            for member in members:
                relations[member].append(number)
        offset = len(self.sums)
        for number, (small, large) in enumerate(self.orders):
            relations[small].append(offset + number)
            relations[large].append(offset + number)
        waiting = list(range(offset + len(self.orders)))
        queued = set(waiting)
        while waiting:
            number = waiting.pop()
            queued.discard(number)
            changed = (
                self._apply_sum(self.sums[number]) if number < offset else self._apply_order(number - offset)
            )
            if changed is None:
                return False
            for var in changed:
                for other in relations[var]:
                    if other not in queued:
                        queued.add(other)
                        waiting.append(other)
        return True

    def _apply_order(self, number: int) -> list[int] | None:
        small, large = self.orders[number]
        changed = []
        if self._narrow(small, 0, self.high[large]):
            changed.append(small)
        if self._narrow(large, self.low[small], UNBOUNDED):
            changed.append(large)
        if self.low[small] > self.high[small] or self.low[large] > self.high[large]:
            return None
        return changed

    def _apply_sum(self, members: tuple[int, ...]) -> list[int] | None:
        # parent - sum(parts) = 0: each member lies between what the others leave at their extremes.
        parent, *parts = members
        parts_low = sum(self.low[p] for p in parts)
        parts_high = sum(self.high[p] for p in parts)
        changed = []
        if self._narrow(parent, parts_low, parts_high):
            changed.append(parent)
        for part in parts:
            others_low = parts_low - self.low[part]
            others_high = (
                parts_high - self.high[part]
                if self.high[part] != UNBOUNDED
                else _sum_but(self.high, parts, part)
            )
            low = self.low[parent] - others_high if others_high != UNBOUNDED else 0.0
            high = self.high[parent] - others_low
            if self._narrow(part, low, high):
                changed.append(part)
        if any(self.low[m] > self.high[m] for m in members):
            return None
        return changed

    def values(self, var: int) -> list[int] | None:
        """The values left for a variable (None: unbounded)."""
        if self.high[var] == UNBOUNDED:
            return None
        low, high = int(self.low[var]), int(self.high[var])
        values = self.allowed.get(var)
        if values is not None:
            return sorted(value for value in values if low <= value <= high)
        return list(range(low, high + 1))


def _sum_but(numbers: list[float], members: Sequence[int], left_out: int) -> float:
    return sum(numbers[m] for m in members if m != left_out)


def pinned_small(ranges: Ranges, truth: dict[CellKey, int]) -> list[CellKey]:
    """Audited figures under ``PROTECT_BELOW`` whose true value is all that is left of their range."""
    found = []
    for number, key in enumerate(ranges.keys):
        value = truth.get(key, 0)
        if value < PROTECT_BELOW and audited(key.metric) and ranges.values(number) == [value]:
            found.append(key)
    return found


def neighbours(ranges: Ranges, keys: Iterable[CellKey]) -> set[CellKey]:
    """The figures in a sum or an "at most" with any of ``keys``: what a repair may draw again."""
    index = {key: number for number, key in enumerate(ranges.keys)}
    wanted = {index[key] for key in keys}
    found: set[int] = set(wanted)
    for members in ranges.sums:
        if wanted.intersection(members):
            found.update(members)
    for small, large in ranges.orders:
        if small in wanted or large in wanted:
            found.update((small, large))
    return {ranges.keys[number] for number in found}


def relations_of(counter: CellCounter) -> tuple[list[Equation], list[Order]]:
    """Every sum and "at most" between the audited figures of one municipality's year."""
    equations = [
        (parent, children)
        for parent, children in structural_equations(counter.values, complete=True)
        + coverage_equations(counter)
        if audited(parent.metric) and all(audited(child.metric) for child in children)
    ]
    return equations, order_relations(counter.values)


def by_period(keys: Iterable[CellKey]) -> dict[Period, list[CellKey]]:
    found: dict[Period, list[CellKey]] = defaultdict(list)
    for key in keys:
        found[Period(key.period_kind, key.period)].append(key)
    return found
