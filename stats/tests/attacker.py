"""An attacker on the board's statistics: everything it can fetch, every relation between the figures it knows.

It is written from the outside: it reads the figures as the board sees them (their text: numbers and marks)
and knows only what is documented about them (``stats.cellkey.truths_for``: what a published figure can stand
for; where that does not exist, as before issue 19, every number is taken as exact), plus the meaning of the
tables: genders, groups and age bands split a total; coarse age groups are bands added up; attendances add
up over months and quarters and split over categories; Arvsfonden's ages split a project's figure; the whole
association is its municipalities added up; a participant has attended at least once; and between two
moments it was looking, exactly what changed (the strongest attacker: it knows the change to the person).

Each true figure is a variable, at each moment. Knowledge is a range (and, where the documented table has
holes, the set of values that range may take); relations are sums and "at most" between variables. Ranges
are narrowed through every relation until nothing changes. A count of 1 to 4 whose range shrinks to one
value is disclosed; a relation that leaves some variable no value at all says that the assumed change is
impossible (used to tell one person's change from another's).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from stats.dimensions import (
    AGE_BAND_VALUES,
    ALL,
    ARENA_VALUES,
    ARVS_VALUES,
    CATEGORY_VALUES,
    COARSE_GROUPS,
    GENDER_VALUES,
    GROUP_VALUES,
    STAGE_VALUES,
    Period,
    PeriodKind,
    periods_of_day,
)
from stats.metrics import CellKey

try:  # the documented perturbation (issue 19); before it, numbers were exact
    from stats.cellkey import truths_for
except ImportError:  # pragma: no cover - only when run against the code before issue 19
    truths_for = None  # type: ignore[assignment]

INFINITY = 10**9
Var = tuple[int, str, CellKey]  # (moment, municipality slug or "*" for the sum of all, cell)

# Metrics counted by person and cut by age, gender and group on the dashboard.
PEOPLE_CUT = ("participants", "new_participants", "attendances", "registered")
ADDITIVE = ("attendances", "new_participants", "registered", "lok_attendances", "pathway_steps")
PATHWAY_ARENAS = tuple(arena for arena in ARENA_VALUES if arena != "general")


@dataclass
class Domain:
    lo: int = 0
    hi: int = INFINITY
    allowed: frozenset[int] | None = None

    def narrow(self, lo: int, hi: int) -> bool:
        lo, hi = max(lo, self.lo), min(hi, self.hi)
        if self.allowed is not None:
            inside = [value for value in self.allowed if lo <= value <= hi]
            lo, hi = (min(inside), max(inside)) if inside else (1, 0)
        changed = (lo, hi) != (self.lo, self.hi)
        self.lo, self.hi = lo, hi
        return changed

    def values(self) -> list[int]:
        if self.allowed is not None:
            return sorted(v for v in self.allowed if self.lo <= v <= self.hi)
        return list(range(self.lo, self.hi + 1)) if self.hi < INFINITY else [self.lo, INFINITY]

    @property
    def empty(self) -> bool:
        return self.lo > self.hi


def reading(text: str) -> Domain | None:
    """What a displayed figure says about the true count behind it, by the documented rules."""
    plain = text.replace("\u00a0", "").replace(" ", "").strip()
    if not plain or plain.endswith("*"):
        return None  # a sum that leaves figures out: no bound worth having
    if plain == "..":
        return Domain(1, INFINITY)
    if plain.startswith("<"):
        limit = int(plain[1:])
        if truths_for is None:
            return Domain(1, limit - 1)
        # A preliminary figure under the limit: the published value is under it, the truth within ±2.
        return Domain(0, limit - 1 + max(truths_for(limit - 1)) - (limit - 1))
    number = 0 if plain in ("–", "-") else int(plain.replace(",", "").replace(".", ""))
    if truths_for is None:
        return Domain(number, number)
    allowed = truths_for(number)
    return Domain(min(allowed), max(allowed), allowed)


@dataclass
class Relation:
    """sum(sign * variable) == constant, or (when ``at_most``) first <= second."""

    terms: tuple[tuple[int, Var], ...]
    constant: int = 0
    at_most: bool = False


@dataclass
class Knowledge:
    domains: dict[Var, Domain] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def domain(self, var: Var) -> Domain:
        found = self.domains.get(var)
        if found is None:
            found = self.domains[var] = Domain()
        return found

    def learn(self, var: Var, domain: Domain) -> None:
        own = self.domain(var)
        if domain.allowed is not None:
            own.allowed = domain.allowed if own.allowed is None else own.allowed & domain.allowed
        own.narrow(domain.lo, domain.hi)

    def equal(self, parent: Var, children: Iterable[Var], constant: int = 0) -> None:
        """parent = sum(children) + constant."""
        terms = ((1, parent), *((-1, child) for child in children))
        self.relations.append(Relation(terms, constant))

    def at_most(self, small: Var, large: Var) -> None:
        self.relations.append(Relation(((1, small), (1, large)), at_most=True))

    def copy(self) -> Knowledge:
        return Knowledge(
            {var: Domain(d.lo, d.hi, d.allowed) for var, d in self.domains.items()}, list(self.relations)
        )

    def propagate(self) -> bool:
        """Narrow every range through every relation until nothing changes. False: some range is empty."""
        by_var: dict[Var, list[int]] = defaultdict(list)
        for number, relation in enumerate(self.relations):
            for _sign, var in relation.terms:
                by_var[var].append(number)
                self.domain(var)
        waiting = set(range(len(self.relations)))
        while waiting:
            relation = self.relations[waiting.pop()]
            changed = self._apply(relation)
            if changed is None:
                return False
            for var in changed:
                waiting.update(by_var[var])
        return True

    def _apply(self, relation: Relation) -> list[Var] | None:
        changed: list[Var] = []
        if relation.at_most:
            (_s, small), (_l, large) = relation.terms
            a, b = self.domains[small], self.domains[large]
            if a.narrow(a.lo, b.hi):
                changed.append(small)
            if b.narrow(a.lo, b.hi):
                changed.append(large)
            return None if a.empty or b.empty else changed
        # sum(sign * x) == constant: each x lies between what the others leave at their extremes.
        spans = []
        for sign, var in relation.terms:
            d = self.domains[var]
            hi = math.inf if d.hi >= INFINITY else d.hi
            spans.append((d.lo, hi) if sign > 0 else (-hi, -d.lo))
        low_total = sum(low for low, _high in spans)
        high_total = sum(high for _low, high in spans)
        for index, (sign, var) in enumerate(relation.terms):
            low_i, high_i = spans[index]
            rest_low = low_total - low_i if math.isfinite(low_i) else _sum_without(spans, index, 0)
            rest_high = high_total - high_i if math.isfinite(high_i) else _sum_without(spans, index, 1)
            if not math.isfinite(rest_low) and not math.isfinite(rest_high):
                continue
            low, high = relation.constant - rest_high, relation.constant - rest_low
            if sign < 0:
                low, high = -high, -low
            d = self.domains[var]
            new_low = max(0, math.ceil(low)) if math.isfinite(low) else 0
            new_high = math.floor(high) if math.isfinite(high) else INFINITY
            if d.narrow(new_low, min(new_high, INFINITY)):
                changed.append(var)
                if d.empty:
                    return None
        return changed


def _sum_without(spans: list[tuple[float, float]], index: int, side: int) -> float:
    return sum(span[side] for number, span in enumerate(spans) if number != index)


# --- The meaning of the tables ---------------------------------------------------------------------------


def _partition(k: Knowledge, moment: int, scope: str, parent: CellKey, parts: Iterable[CellKey]) -> None:
    k.equal((moment, scope, parent), [(moment, scope, part) for part in parts])


def table_relations(k: Knowledge, moment: int, scope: str, periods: Iterable[Period]) -> None:
    """Sums that hold by what each table means, for one municipality (or the sum of all) at one moment."""
    for period in periods:
        if period.kind == PeriodKind.MONTH:
            continue
        base = CellKey(period.kind, period.start, "participants")
        for metric in PEOPLE_CUT:
            cell = base._replace(metric=metric)
            for age in (ALL, *COARSE_GROUPS):
                total = cell._replace(age_band=age)
                _partition(k, moment, scope, total, [total._replace(gender=g) for g in GENDER_VALUES])
                _partition(k, moment, scope, total, [total._replace(person_group=g) for g in GROUP_VALUES])
            _partition(k, moment, scope, cell, [cell._replace(age_band=b) for b in AGE_BAND_VALUES])
            for group, bands in COARSE_GROUPS.items():
                _partition(
                    k,
                    moment,
                    scope,
                    cell._replace(age_band=group),
                    [cell._replace(age_band=b) for b in bands],
                )
        for metric in ("attendances", "new_participants"):
            cell = base._replace(metric=metric)
            _partition(k, moment, scope, cell, [cell._replace(category=c) for c in CATEGORY_VALUES])
            _partition(k, moment, scope, cell, [cell._replace(arena=a) for a in ARENA_VALUES])
        for metric in ("participants", "households"):
            cell = base._replace(metric=metric)
            for part in [
                *(cell._replace(category=c) for c in CATEGORY_VALUES),
                *(cell._replace(arena=a) for a in ARENA_VALUES),
            ]:
                k.at_most((moment, scope, part), (moment, scope, cell))
        # Participants attended at least once; new participants and households are participants.
        for age in (ALL, *COARSE_GROUPS, *AGE_BAND_VALUES):
            for gender in (ALL, *GENDER_VALUES):
                cell = base._replace(age_band=age, gender=gender)
                k.at_most((moment, scope, cell), (moment, scope, cell._replace(metric="attendances")))
                k.at_most((moment, scope, cell._replace(metric="new_participants")), (moment, scope, cell))
        k.at_most((moment, scope, base._replace(metric="households")), (moment, scope, base))
        # Pathways: arena × stage, with stage totals (pathways only) and arena totals.
        for metric in ("pathways", "pathway_steps"):
            cell = base._replace(metric=metric)
            for stage in STAGE_VALUES:
                _partition(
                    k,
                    moment,
                    scope,
                    cell._replace(stage=stage),
                    [cell._replace(stage=stage, arena=a) for a in PATHWAY_ARENAS],
                )
            if metric == "pathways":
                for arena in (ALL, *PATHWAY_ARENAS):
                    _partition(
                        k,
                        moment,
                        scope,
                        cell._replace(arena=arena),
                        [cell._replace(arena=arena, stage=s) for s in STAGE_VALUES],
                    )


def funder_relations(
    k: Knowledge, moment: int, scope: str, period: Period, project: int, funder: str
) -> None:
    base = CellKey(period.kind, period.start, "participants", project=project, funder=funder)
    for metric in ("participants", "attendances"):
        cell = base._replace(metric=metric)
        _partition(k, moment, scope, cell, [cell._replace(age_band=a) for a in ARVS_VALUES])
        for age in (ALL, *ARVS_VALUES):
            total = cell._replace(age_band=age)
            _partition(k, moment, scope, total, [total._replace(gender=g) for g in GENDER_VALUES])
        for gender in GENDER_VALUES:
            _partition(
                k,
                moment,
                scope,
                cell._replace(gender=gender),
                [cell._replace(gender=gender, age_band=a) for a in ARVS_VALUES],
            )
    lok = base._replace(metric="lok_attendances")
    _partition(k, moment, scope, lok, [lok._replace(gender=g) for g in GENDER_VALUES])
    k.at_most((moment, scope, base), (moment, scope, base._replace(metric="attendances")))
    k.at_most(
        (moment, scope, base._replace(metric="lok_attendances")),
        (moment, scope, base._replace(metric="attendances")),
    )


def time_relations(k: Knowledge, moment: int, scope: str, cells: Iterable[CellKey]) -> None:
    """Attendances (and other additive counts) add up over months and quarters; unique counts of a longer
    period are at least those of a shorter one."""
    seen = set(cells)
    parents: dict[CellKey, list[CellKey]] = defaultdict(list)
    for cell in seen:
        if cell.period_kind == PeriodKind.YEAR:
            continue
        _month, quarter, year = periods_of_day(cell.period)
        parent = quarter if cell.period_kind == PeriodKind.MONTH else year
        parents[cell._replace(period_kind=parent.kind, period=parent.start)].append(cell)
    for parent, children in parents.items():
        if parent.metric in ADDITIVE:
            kind = children[0].period_kind
            months = 3 if kind == PeriodKind.MONTH else 4
            step = 1 if kind == PeriodKind.MONTH else 3
            every = [
                parent._replace(
                    period_kind=kind,
                    period=dt.date(parent.period.year, parent.period.month + step * n, 1),
                )
                for n in range(months)
            ]
            _partition(k, moment, scope, parent, every)
        elif parent.metric in ("participants", "households", "active_matches"):
            # Whoever took part in a month took part in its quarter (not so for pathways' stages).
            for child in children:
                k.at_most((moment, scope, child), (moment, scope, parent))


def sum_relations(k: Knowledge, moment: int, scopes: Iterable[str], cells: Iterable[CellKey]) -> None:
    """The association's figure is its municipalities' figures added up."""
    scopes = list(scopes)
    for cell in cells:
        k.equal((moment, "*", cell), [(moment, scope, cell) for scope in scopes])


def change_relations(
    k: Knowledge,
    before: int,
    after: int,
    scopes: Iterable[str],
    deltas: dict[tuple[str, CellKey], int],
    cells: Iterable[CellKey],
) -> None:
    """Between two moments the attacker knows exactly what changed: after = before + delta, for every cell."""
    for scope in scopes:
        for cell in cells:
            k.equal((after, scope, cell), [(before, scope, cell)], deltas.get((scope, cell), 0))


def small_and_determined(k: Knowledge, truth: dict[Var, int]) -> list[tuple[Var, int]]:
    """True counts of 1 to 4 that the attacker's ranges pin to one value."""
    found = []
    for var, domain in k.domains.items():
        value = truth.get(var, 0)
        if 1 <= value <= 4 and domain.values() == [value]:
            found.append((var, value))
    return found


def outside(k: Knowledge, truth: dict[Var, int]) -> list[tuple[Var, int, Domain]]:
    """Variables whose true value the attacker has ruled out: its reading of the figures is wrong."""
    return [
        (var, truth.get(var, 0), d)
        for var, d in k.domains.items()
        if not (d.lo <= truth.get(var, 0) <= d.hi)
        or (d.allowed is not None and truth.get(var, 0) not in d.allowed)
    ]


def hashable(value: object) -> Hashable:
    return value  # type: ignore[return-value]
