"""Small figures are hidden, and so are enough others that no hidden figure can be worked out by differencing.

Primary suppression: a head count (or attendance count) from 1 to 4 is hidden ("<5"). Zero is shown as "–":
knowing that nobody took part discloses no one.

Complementary suppression: every published figure is tied to others by exact sums. A month's attendances add
up to the quarter's and the year's; genders, groups and age bands split a total; categories split attendances;
Arvsfonden's age groups split a project's figure; two cuts that cover the same people are equal; projects
that split a funder's people add up to it. If a hidden figure can be written as a combination of shown ones
(total minus the others, year minus the other months, a coarse age group minus one band, …), it is not
hidden at all. So after hiding the small ones we solve: with the shown figures known and the hidden ones
unknown, is any hidden figure determined by the equations? (Gaussian elimination on the hidden cells; a cell
is determined exactly when a row of the reduced system names it alone.) For each determined cell we hide the
smallest shown, non-zero figure in one of its equations ("the next-smallest cell") and ask again, until none
is determined.

This runs per municipality and year, over everything any board page can show of it. Figures across
municipalities are then only ever sums of figures shown here (``stats.selectors``), so filters and totals
across municipalities reveal nothing more than a municipality's own published figures do. What remains is
what cell suppression always leaves: bounds (a hidden figure lies between 1 and 4, or a pair sums to 9).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from stats.dimensions import (
    AGE_BAND_VALUES,
    ALL,
    ARVS_VALUES,
    COARSE_GROUPS,
    COARSE_OF_BAND,
    THRESHOLD,
    Hidden,
    Period,
    parent_period,
)
from stats.metrics import METRICS, CellCounter, CellKey, Scope, scope_of, with_scope

# A large prime: rank over GF(p) equals rank over the rationals for these small ±1 systems (a wrong answer
# would need p to divide a minor of a 0/±1 matrix of a few hundred rows; those are far smaller than p).
_PRIME = (1 << 61) - 1

Equation = tuple[CellKey, tuple[CellKey, ...]]  # parent = sum of children


def _defined_in(scope: Scope, key: CellKey) -> bool:
    """Whether cells of this shape (its people dimensions) are stored for a scope of that kind."""
    kind = scope[0]
    if kind in ("category", "arena"):
        return key.gender == ALL and key.person_group == ALL and key.age_band == ALL
    if kind in ("project", "funder"):
        return key.person_group == ALL and key.age_band in (ALL, *ARVS_VALUES)
    return True


def structural_equations(values: dict[CellKey, int]) -> list[Equation]:
    """Sums that hold by construction: partitions of a total and months adding up to quarters and years."""
    groups: dict[tuple[CellKey, str], list[CellKey]] = defaultdict(list)
    for key in values:
        metric = METRICS[key.metric]
        if not metric.people:
            continue
        for dim in ("gender", "person_group", "category", "arena", "stage"):
            if dim in metric.partitions and getattr(key, dim) != ALL:
                groups[(key._replace(**{dim: ALL}), dim)].append(key)  # type: ignore[arg-type]
        if "age_band" in metric.partitions and key.age_band != ALL:
            for total, family in _age_totals(key):
                groups[(total, family)].append(key)
        if metric.additive:
            parent = parent_period(Period(key.period_kind, key.period))
            if parent is not None:
                groups[(key._replace(period_kind=parent.kind, period=parent.start), "time")].append(key)
    return [(parent, tuple(children)) for (parent, _family), children in groups.items()]


def _age_totals(key: CellKey) -> list[tuple[CellKey, str]]:
    """The totals an age cell is part of, each with the name of its partition."""
    age = key.age_band
    if key.project or key.funder:
        return [(key._replace(age_band=ALL), "age-arvs")] if age in ARVS_VALUES else []
    totals = []
    if age in AGE_BAND_VALUES:
        totals.append((key._replace(age_band=ALL), "age-bands"))
    if age in COARSE_GROUPS or (age not in COARSE_OF_BAND and age in AGE_BAND_VALUES):
        totals.append((key._replace(age_band=ALL), "age-coarse"))
    if age in COARSE_OF_BAND:
        totals.append((key._replace(age_band=COARSE_OF_BAND[age]), "age-nest"))
    return totals


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
        cells = {scope: by_scope[(metric, period, scope)] for scope in scopes}
        equations += _equal_cuts(counter, scopes, cells)
        equations += _split_cuts(counter, metric, scopes, cells)
    return equations


def _equal_cuts(
    counter: CellCounter, scopes: dict[Scope, frozenset[object]], cells: dict[Scope, list[CellKey]]
) -> list[Equation]:
    """Cuts that cover the same people have equal figures."""
    equations: list[Equation] = []
    same: dict[frozenset[object], list[Scope]] = defaultdict(list)
    for scope, members in sorted(scopes.items(), key=lambda item: str(item[0])):
        same[members].append(scope)
    for group in same.values():
        leader, *others = group
        for other in others:
            for key in cells[leader]:
                mirror = with_scope(key, other)
                if mirror in counter.values:
                    equations.append((key, (mirror,)))
    return equations


def _split_cuts(
    counter: CellCounter,
    metric: str,
    scopes: dict[Scope, frozenset[object]],
    cells: dict[Scope, list[CellKey]],
) -> list[Equation]:
    """Cuts that split another's people between them add up to it."""
    equations: list[Equation] = []
    splits: list[tuple[Scope, list[Scope]]] = []
    if not METRICS[metric].additive or "category" not in METRICS[metric].partitions:
        splits.append((("all", ""), [s for s in scopes if s[0] == "category"]))
        splits.append((("all", ""), [s for s in scopes if s[0] == "arena"]))
    for scope in scopes:
        if scope[0] == "funder":
            projects = [s for s in scopes if s[0] == "project" and _funder_of(counter, metric, s) == scope[1]]
            splits.append((scope, projects))
    for parent, children in splits:
        if len(children) < 2 or parent not in scopes or not _partition(scopes, parent, children):
            continue
        for key in cells[parent]:
            if all(_defined_in(child, key) for child in children):
                parts = tuple(with_scope(key, child) for child in children)
                equations.append((key, tuple(part for part in parts if part in counter.values)))
    return equations


def _partition(scopes: dict[Scope, frozenset[object]], parent: Scope, children: list[Scope]) -> bool:
    """Whether the children's people are the parent's, each in exactly one child."""
    union: set[object] = set()
    total = 0
    for child in children:
        union |= scopes[child]
        total += len(scopes[child])
    return total == len(union) and union == scopes[parent]


def _funder_of(counter: CellCounter, metric: str, scope: Scope) -> str | None:
    return counter.project_funders.get(int(scope[1]))


def _determined(hidden: set[CellKey], equations: list[Equation]) -> set[CellKey]:
    """Hidden cells whose value follows from the equations and the shown cells."""
    columns = {key: index for index, key in enumerate(sorted(hidden))}
    keys = sorted(hidden)
    pivots: dict[int, dict[int, int]] = {}
    holders: dict[int, set[int]] = defaultdict(set)  # column -> pivot rows containing it
    for parent, children in equations:
        row = _equation_row(parent, children, columns)
        if not row:
            continue
        _reduce(row, pivots)
        if not row:
            continue
        pivot = min(row)
        inverse = pow(row[pivot], _PRIME - 2, _PRIME)
        row = {col: coef * inverse % _PRIME for col, coef in row.items()}
        _eliminate(pivot, row, pivots, holders)
        pivots[pivot] = row
        for col in row:
            holders[col].add(pivot)
    return {keys[pivot] for pivot, row in pivots.items() if len(row) == 1}


def _equation_row(
    parent: CellKey, children: tuple[CellKey, ...], columns: dict[CellKey, int]
) -> dict[int, int]:
    """The equation over the hidden cells (parent − children = shown figures), its non-zero coefficients."""
    row: dict[int, int] = {}
    if parent in columns:
        row[columns[parent]] = _PRIME - 1
    for child in children:
        if child in columns:
            col = columns[child]
            row[col] = (row.get(col, 0) + 1) % _PRIME
    return {col: coef for col, coef in row.items() if coef}


def _reduce(row: dict[int, int], pivots: dict[int, dict[int, int]]) -> None:
    """Subtract the pivot rows from ``row``, in place, until it names no pivot column."""
    for col in [c for c in row if c in pivots]:
        coef = row.get(col)
        if not coef:
            continue
        for other, value in pivots[col].items():
            new = (row.get(other, 0) - coef * value) % _PRIME
            if new:
                row[other] = new
            else:
                row.pop(other, None)


def _eliminate(
    pivot: int, row: dict[int, int], pivots: dict[int, dict[int, int]], holders: dict[int, set[int]]
) -> None:
    """Clear the new pivot's column from the other pivot rows (reduced row echelon form)."""
    for holder in list(holders[pivot]):
        target = pivots[holder]
        factor = target.get(pivot)
        if not factor:
            continue
        for col, value in row.items():
            new = (target.get(col, 0) - factor * value) % _PRIME
            if new:
                target[col] = new
                holders[col].add(holder)
            else:
                target.pop(col, None)
                holders[col].discard(holder)


def _complement(
    cell: CellKey,
    hidden: set[CellKey],
    values: dict[CellKey, int],
    index: dict[CellKey, list[int]],
    equations: list[Equation],
) -> CellKey | None:
    """The smallest shown, non-zero figure beside ``cell`` in one of its equations.

    Siblings first (another month, another gender), also beside hidden siblings further out; a total only
    when no sibling is left anywhere near: totals are what people read, and hiding one spreads upwards.
    """
    frontier, seen_cells, seen_equations = [cell], {cell}, set()
    totals: list[CellKey] = []
    while frontier:
        siblings: list[CellKey] = []
        next_frontier: list[CellKey] = []
        for current in frontier:
            for number in index.get(current, ()):
                if number in seen_equations:
                    continue
                seen_equations.add(number)
                parent, children = equations[number]
                for member in (parent, *children):
                    if member in seen_cells:
                        continue
                    seen_cells.add(member)
                    if member in hidden:
                        next_frontier.append(member)
                    elif values.get(member, 0) > 0:
                        if member == parent and current in children:
                            totals.append(member)
                        else:
                            siblings.append(member)
        if siblings:
            return min(siblings, key=lambda key: (values[key], key))
        frontier = next_frontier
    # The least important total: the shortest period, the most specific cut, the smallest figure.
    return min(
        totals,
        key=lambda key: (_PERIOD_RANK[key.period_kind], -_specificity(key), values[key], key),
        default=None,
    )


_PERIOD_RANK = {"M": 0, "Q": 1, "Y": 2}


def _specificity(key: CellKey) -> int:
    return sum(
        1
        for value in (
            key.gender,
            key.age_band,
            key.person_group,
            key.category,
            key.arena,
            key.funder,
            key.project,
            key.stage,
        )
        if value
    )


def suppress(
    counter: CellCounter, extra: Iterable[Equation] = (), trace: dict[CellKey, CellKey] | None = None
) -> dict[CellKey, Hidden]:
    """Which cells to hide, and why. Cells not in the result are shown."""
    values = counter.values
    small = {
        key
        for key, value in values.items()
        if METRICS[key.metric].people and value > 0 and counter.base.get(key, value) < THRESHOLD
    }
    equations = structural_equations(values) + coverage_equations(counter) + list(extra)
    # Equations without a hidden member cannot reveal anything; keep the index small.
    index: dict[CellKey, list[int]] = defaultdict(list)
    for number, (parent, children) in enumerate(equations):
        for member in (parent, *children):
            index[member].append(number)
    hidden = set(small)

    def protect(cell: CellKey) -> bool:
        extra_cell = _complement(cell, hidden, values, index, equations)
        if extra_cell is None or extra_cell in hidden:
            return False
        if trace is not None:
            trace[extra_cell] = cell  # which figure it protects: for tests and debugging
        hidden.add(extra_cell)
        return True

    while True:
        _protect_lonely(equations, hidden, protect)
        # Then the exact test, which also sees combinations of equations.
        relevant = {number for key in hidden for number in index.get(key, ())}
        determined = _determined(hidden, [equations[number] for number in sorted(relevant)])
        if not determined:
            break
        added = False
        for cell in sorted(determined):
            # An earlier complement in this round may already protect it; the next round checks again.
            added = protect(cell) or added
        if not added:
            # No shown figure left beside it: hide every member of its equations (never seen in practice).
            before = len(hidden)
            _hide_equations_of(determined, hidden, values, index, equations)
            if len(hidden) == before:
                break
    return {
        key: (Hidden.SMALL if key in small else Hidden.COMPLEMENT) for key in hidden if values.get(key, 0) > 0
    }


def _protect_lonely(
    equations: list[Equation], hidden: set[CellKey], protect: Callable[[CellKey], bool]
) -> None:
    """The cheap rule first: an equation with exactly one hidden, non-zero member gives it away."""
    lonely = True
    while lonely:
        lonely = False
        for parent, children in equations:
            members = [m for m in (parent, *children) if m in hidden]
            if len(members) == 1 and protect(members[0]):
                lonely = True


def _hide_equations_of(
    cells: set[CellKey],
    hidden: set[CellKey],
    values: dict[CellKey, int],
    index: dict[CellKey, list[int]],
    equations: list[Equation],
) -> None:
    for cell in cells:
        for number in index.get(cell, ()):
            parent, children = equations[number]
            hidden.update(member for member in (parent, *children) if values.get(member, 0) > 0)
