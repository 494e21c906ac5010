"""Timing the board's dashboard on a large rollup: every municipality × 24 months of realistic figures.

``rollup_create`` writes the rollup and the published figures of given municipalities (the benchmark's own
tenants, or rows made by ``synthetic_rollup_create``) as the nightly recompute would leave them: the cells
``stats.metrics`` produces (months as totals; quarters and years cut by age, gender, group, category, arena,
project and funder; matches; pathways by arena and stage), each municipality's figures in proportion to its
register (20,000 people in the largest, a few hundred in most); closed periods published with their cell-key
perturbation (random keys, no audit: the dashboard's time depends on how many figures there are, not on
their noise), the open month preliminary. ``make bench`` (issue 11) times ``dashboard_answer`` on the
benchmark's own municipalities; ``manage.py stats_bench`` on synthetic ones. Callers roll it all back.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection

from stats.cellkey import KEY_BITS
from stats.dimensions import (
    ALL,
    COARSE_GROUPS,
    Period,
    PeriodKind,
    periods_of_day,
)
from stats.metrics import METRICS, CellKey
from stats.models import (
    ProjectRef,
    PublicationRevision,
    PublishedCell,
    PublishedCellHistory,
    PublishedStatus,
    RollupCell,
    cut_of,
)
from stats.publication import is_closed, published_value
from stats.selectors import Dashboard, Selection, dashboard_build, selection_build
from tenants.models import Municipality, TenantKind, TenantStatus

COUNTIES = [f"Län {n}" for n in range(1, 22)]

# Who takes part: plausible shares, not measured ones. They set the expected size of each cell; the
# figures themselves are drawn around it, so small municipalities get the many small cells real ones have.
GENDER_SHARES = {"woman": 0.52, "man": 0.44, "other": 0.02, "not_stated": 0.02}
GROUP_SHARES = {"newcomer": 0.55, "established": 0.45}
BAND_SHARES = {
    "0-6": 0.12,
    "7-12": 0.16,
    "13-19": 0.14,
    "20-25": 0.08,
    "26-64": 0.42,
    "65+": 0.05,
    "unknown": 0.03,
}
ARVS_SHARES = {"0-11": 0.25, "12-25": 0.25, "26+": 0.47, "unknown": 0.03}
# How often each kind of activity is run, and the arena it usually belongs to.
CATEGORY_WEIGHTS = {
    "language_cafe": 6,
    "family": 4,
    "sport": 4,
    "outing": 2,
    "homework_help": 3,
    "job_club": 2,
    "culture": 2,
    "other": 1,
}
ARENA_OF_CATEGORY = {
    "language_cafe": "community_life",
    "family": "community_life",
    "sport": "club_life",
    "outing": "general",
    "homework_help": "club_life",
    "job_club": "working_life",
    "culture": "community_life",
    "other": "general",
}
FUNDER_WEIGHTS = {
    "arvsfonden": 4,
    "region": 2,
    "lansstyrelsen": 2,
    "foundation": 2,
    "municipality": 3,
    "other": 1,
}
# Fewer people in summer and around Christmas (January = 0).
SEASON = (1.0, 1.1, 1.15, 1.1, 1.05, 0.75, 0.45, 0.7, 1.15, 1.2, 1.15, 0.95)

# Pathways: where they stand at a period's end (a stock), the stages reached in it (steps), and their arenas.
STAGE_SHARES = {"interest": 0.2, "referred": 0.2, "started": 0.3, "established": 0.2, "ended": 0.1}
STEP_SHARES = {"interest": 0.3, "referred": 0.25, "started": 0.2, "established": 0.15, "ended": 0.1}
PATHWAY_ARENA_SHARES = {"club_life": 0.4, "community_life": 0.35, "working_life": 0.25}

# Which cells each metric has, as stats.metrics adds them. In quarters and years: "people" (people_cells
# with categories, arenas, projects), "register" (people_cells alone), "scope" (scope_cells), "funded"
# (scope_cells without categories and arenas), "funded_by_gender" (LOK attendances), "total" (matches),
# "pathways" (by stage, by arena and by both) and "steps" (the same without a total); months hold totals,
# and pathways by stage and by arena too. A metric not listed (a feature's new one) is "people" or
# "scope" by its kind, so the rollup grows with METRICS.
SHAPES = {
    "participants": "people",
    "new_participants": "people",
    "attendances": "people",
    "registered": "register",
    "households": "scope",
    "sessions_held": "scope",
    "volunteer_minutes": "scope",
    "lok_sessions": "funded",
    "lok_attendances": "funded_by_gender",
    "study_minutes": "funded",
    "participant_minutes": "funded",
    "active_matches": "total",
    "matches_started": "total",
    "pathways": "pathways",
    "pathway_steps": "steps",
}


@dataclass
class Network:
    """One municipality's local network as the rollup sees it: how many take part, in what, funded by whom."""

    people: int
    participants: float  # unique participants in a whole year
    sessions: float  # sessions held in a year
    categories: dict[str, float]  # share of the sessions (and attendances)
    arenas: dict[str, float]
    projects: dict[int, tuple[str, float]]  # project id → funder, share of the sessions
    funders: dict[str, float] = field(default_factory=dict)

    def yearly(self, metric: str) -> float:
        """The metric's figure for a whole year: from the participants, the sessions or the register
        (plausible ratios, e.g. eight attendances per participant, not measured ones)."""
        p, s = self.participants, self.sessions
        known = {
            "participants": p,
            "new_participants": 0.35 * p,
            "attendances": 8 * p,
            "households": 0.45 * p,
            "registered": 0.12 * self.people,
            "sessions_held": s,
            "volunteer_minutes": 120 * s,
            "lok_sessions": 0.3 * s,
            "lok_attendances": 1.6 * p,
            "study_minutes": 80 * s,
            "participant_minutes": 720 * p,
            # Matches last about a year: those active in a month are most of the year's.
            "active_matches": 0.05 * p,
            "matches_started": 0.04 * p,
            "pathways": 0.08 * p,
            "pathway_steps": 0.1 * p,
        }
        if metric in known:
            return known[metric]
        return 0.1 * (p if METRICS[metric].people else s)


def network_draw(people: int, rng: random.Random) -> Network:
    """A network for a municipality with ``people`` in its register: about one weekly activity per 400."""
    spread = rng.lognormvariate(0, 0.3)
    activities = max(1, round(people / 400 * spread))
    kinds = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()), k=activities)
    categories: dict[str, float] = {}
    arenas: dict[str, float] = {}
    for kind in kinds:
        arena = (
            ARENA_OF_CATEGORY[kind] if rng.random() < 0.8 else rng.choice(list(ARENA_OF_CATEGORY.values()))
        )
        categories[kind] = categories.get(kind, 0) + 1 / activities
        arenas[arena] = arenas.get(arena, 0) + 1 / activities
    # About a project per eight activities, and most networks one more: small ones have none or one.
    projects: dict[int, tuple[str, float]] = {}
    for number in range(1, round(activities / 8) + (rng.random() < 0.7) + 1):
        funder = rng.choices(list(FUNDER_WEIGHTS), weights=list(FUNDER_WEIGHTS.values()))[0]
        projects[number] = (funder, min(1.0, rng.uniform(0.1, 0.6)))
    funders: dict[str, float] = {}
    for funder, share in projects.values():
        funders[funder] = min(1.0, funders.get(funder, 0) + share)
    return Network(
        people=people,
        participants=0.3 * people * spread,
        sessions=46 * activities,
        categories=categories,
        arenas=arenas,
        projects=projects,
        funders=funders,
    )


def _poisson(rng: random.Random, mean: float) -> int:
    """A count drawn around ``mean``: Poisson (by inversion) for small means, normal for large ones."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    chance = math.exp(-mean)
    below, draw, count = chance, rng.random(), 0
    while draw > below:
        count += 1
        chance *= mean / count
        below += chance
    return count


def window_months(today: dt.date, months: int) -> list[Period]:
    """The ``months`` calendar months ending with ``today``'s (the rollup holds no future months)."""
    result = []
    year, month = today.year, today.month
    for _ in range(months):
        result.append(Period(PeriodKind.MONTH, dt.date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return result[::-1]


def _cells(key: CellKey, shape: str, network: Network, unique: bool) -> Iterator[tuple[CellKey, float]]:
    """The cells of one metric in one period and each one's share of the period's figure, in the shapes
    ``stats.metrics`` gives them (``people_cells``, ``scope_cells``, ``_stage_cells``), the total first."""
    if shape in ("pathways", "steps"):
        stages = STEP_SHARES if shape == "steps" else STAGE_SHARES
        yield key, 1.0
        for stage, share in stages.items():
            yield key._replace(stage=stage), share
        if shape == "pathways":  # a step always has its stage: no arena without one
            for arena, share in PATHWAY_ARENA_SHARES.items():
                yield key._replace(arena=arena), share
        if key.period_kind != PeriodKind.MONTH:
            for stage, stage_share in stages.items():
                for arena, share in PATHWAY_ARENA_SHARES.items():
                    yield key._replace(stage=stage, arena=arena), stage_share * share
        return
    if key.period_kind == PeriodKind.MONTH or shape == "total":
        yield key, 1.0
        return

    def people_dims() -> Iterator[tuple[CellKey, float]]:
        for age, age_share in (
            (ALL, 1.0),
            *((g, sum(BAND_SHARES[b] for b in COARSE_GROUPS[g])) for g in COARSE_GROUPS),
        ):
            cell = key._replace(age_band=age)
            yield cell, age_share
            for gender, share in GENDER_SHARES.items():
                yield cell._replace(gender=gender), age_share * share
            for group, share in GROUP_SHARES.items():
                yield cell._replace(person_group=group), age_share * share
        for band, share in BAND_SHARES.items():
            yield key._replace(age_band=band), share

    def scopes() -> Iterator[tuple[CellKey, float]]:
        # A person takes part in more than one kind of activity: unique counts add up to more than the total.
        lift = 1.3 if unique else 1.0
        if shape not in ("funded", "funded_by_gender"):
            for category, share in network.categories.items():
                yield key._replace(category=category), min(1.0, lift * share)
            for arena, share in network.arenas.items():
                yield key._replace(arena=arena), min(1.0, lift * share)

    def funded() -> Iterator[tuple[CellKey, float]]:
        for project, (_funder, share) in network.projects.items():
            yield key._replace(project=project), share
        for funder, share in network.funders.items():
            yield key._replace(funder=funder), share

    if shape == "register":
        yield from people_dims()
        return
    if shape == "people":
        yield from people_dims()
        yield from scopes()
        for cell, share in funded():
            for age, age_share in ((ALL, 1.0), *ARVS_SHARES.items()):
                yield cell._replace(age_band=age), share * age_share
                for gender, gender_share in GENDER_SHARES.items():
                    yield cell._replace(age_band=age, gender=gender), share * age_share * gender_share
        return
    for cell, share in ((key, 1.0), *scopes(), *funded()):
        yield cell, share
        if shape == "funded_by_gender":
            for gender, gender_share in GENDER_SHARES.items():
                yield cell._replace(gender=gender), share * gender_share


def _share_of_year(months: int, *, additive: bool) -> float:
    """A figure over ``months`` months as a share of the year's: unique people in k months are more than
    one month's and fewer than k months' added up."""
    return months / 12 if additive else (months / 12) ** 0.6


@dataclass
class Template:
    """One metric's cells in any quarter or year: their dimension values (a CellKey after its period and
    metric) and each one's share of the period's figure. The total comes first."""

    dims: list[tuple[object, ...]]
    shares: list[float]
    # Pathway steps are counted by stage only: their total is drawn, to split, but not stored.
    total_stored: bool = True

    @classmethod
    def build(cls, metric: str, network: Network, kind: str = PeriodKind.YEAR) -> Template:
        spec = METRICS[metric]
        shape = SHAPES.get(metric, "people" if spec.people else "scope")
        blank = CellKey(kind, dt.date(2000, 1, 1), metric)
        cells = list(_cells(blank, shape, network, unique=not spec.additive))
        dims: list[tuple[object, ...]] = [cell[3:] for cell, _s in cells]
        return cls(dims, [share for _c, share in cells], total_stored=shape != "steps")


def network_cells(
    network: Network, months: Sequence[Period], rng: random.Random
) -> dict[CellKey, tuple[int, int]]:
    """The network's true figures over ``months``: (value, cell key) per cell, zeros left out. Keys are
    random: what a sum of record keys modulo 2³² looks like."""
    cells: dict[CellKey, tuple[int, int]] = {}
    covered: dict[Period, list[Period]] = {}  # quarter or year → its months in the window
    for month in months:
        for period in periods_of_day(month.start)[1:]:
            covered.setdefault(period, []).append(month)
    for metric, spec in METRICS.items():
        by_month = Template.build(metric, network, PeriodKind.MONTH)
        template = Template.build(metric, network)
        yearly = network.yearly(metric)
        first = _share_of_year(1, additive=spec.additive)
        monthly = {m: _poisson(rng, yearly * first * SEASON[m.start.month - 1]) for m in months}
        drawn: list[tuple[Period, Template, float, int]] = [
            (month, by_month, float(value), value) for month, value in monthly.items()
        ]
        for period, inside in covered.items():
            if spec.additive:
                # The total of an additive metric is its months' sum; everything else is drawn.
                total = float(sum(monthly[m] for m in inside))
                drawn.append((period, template, total, round(total)))
            else:
                season = statistics.fmean(SEASON[m.start.month - 1] for m in inside)
                total = yearly * _share_of_year(len(inside), additive=False) * season
                drawn.append((period, template, total, _poisson(rng, total)))
        for period, cuts, total, total_value in drawn:
            values = [total_value] + [_poisson(rng, total * share) for share in cuts.shares[1:]]
            prefix = (period.kind, period.start, metric)
            stored = zip(cuts.dims, values, strict=True)
            for dims, value in stored if cuts.total_stored else list(stored)[1:]:
                if value:
                    cells[CellKey._make(prefix + dims)] = (value, rng.getrandbits(KEY_BITS))
    return cells


def published_cells(cells: dict[CellKey, tuple[int, int]], today: dt.date) -> dict[CellKey, tuple[int, str]]:
    """What the board would see of ``cells``: closed periods published (value, final), the open month's
    totals preliminary, open quarters and years nothing."""
    published: dict[CellKey, tuple[int, str]] = {}
    for key, (value, cell_key) in cells.items():
        period = Period(key.period_kind, key.period)
        if is_closed(period, today):
            published[key] = (published_value(key, value, cell_key), PublishedStatus.FINAL)
        elif key.period_kind == PeriodKind.MONTH and not cut_of(key._asdict()):
            published[key] = (published_value(key, value, cell_key), PublishedStatus.PRELIMINARY)
    return published


# COPY a few megabytes at a time rather than holding 300 municipalities' rows in memory.
COPY_CHUNK = 8 << 20
ROLLUP_COLUMNS = (*CellKey._fields, "cut", "tenant_id", "value", "cell_key")
PUBLISHED_COLUMNS = (*CellKey._fields, "cut", "tenant_id", "value", "status", "revision", "true_value")


def rollup_create(
    *,
    tenants: Sequence[tuple[Municipality, int]],
    months: int = 24,
    seed: int = 1,
    today: dt.date | None = None,
    only: bool = False,
) -> int:
    """Replace the rollup and the published figures of ``tenants`` (each with the people in its register)
    with ``months`` months of realistic figures ending this month, written with COPY. Returns the published
    figures written (what the dashboard reads).

    Meant for a transaction the caller rolls back: it deletes what these municipalities had. With
    ``only``, the tables hold these municipalities alone: they are emptied with TRUNCATE, which a rollback
    undoes without leaving any dead row behind (a rolled-back COPY leaves every row it wrote for VACUUM, and
    the benchmark's database server may run without autovacuum). PostgreSQL refuses to TRUNCATE a table
    written earlier in the same transaction while its deferred checks are pending.
    """
    today = today or dt.date.today()
    window = window_months(today, months)
    ids = [tenant.pk for tenant, _people in tenants]
    tables = (RollupCell, PublishedCell, PublishedCellHistory, PublicationRevision, ProjectRef)
    if only:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in tables)}")
    else:
        for model in tables:
            model.objects.filter(tenant_id__in=ids).delete()
    rollup, published = io.StringIO(), io.StringIO()
    count = 0
    refs = []

    def flush() -> None:
        for buffer, model, columns in (
            (rollup, RollupCell, ROLLUP_COLUMNS),
            (published, PublishedCell, PUBLISHED_COLUMNS),
        ):
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_from(buffer, model._meta.db_table, columns=columns)
            buffer.seek(0)
            buffer.truncate()

    # A row starts with its period and metric, then its dimension values and cut: both parts repeat, so
    # each is made into text once.
    heads: dict[tuple[object, ...], str] = {}
    tails: dict[tuple[object, ...], str] = {}
    for tenant, people in tenants:
        rng = random.Random(f"{seed}:{tenant.schema_name}")
        network = network_draw(people, rng)
        cells = network_cells(network, window, rng)
        shown = published_cells(cells, today)
        for key, (value, cell_key) in cells.items():
            head, dims = key[:3], key[3:]
            if head not in heads:
                heads[head] = "\t".join(str(part) for part in head)
            if dims not in tails:
                tails[dims] = "\t".join([*(str(part) for part in dims), cut_of(key._asdict())])
            prefix = f"{heads[head]}\t{tails[dims]}\t{tenant.pk}"
            rollup.write(f"{prefix}\t{value}\t{cell_key}\n")
            if key in shown:
                figure, status = shown[key]
                revision = 1 if status == PublishedStatus.FINAL else 0
                published.write(f"{prefix}\t{figure}\t{status}\t{revision}\t{value}\n")
        count += len(shown)
        refs += [
            ProjectRef(
                tenant=tenant,
                project=project,
                name=f"Projekt {project}",
                funder=funder,
                starts_on=window[0].start,
                ends_on=today,
            )
            for project, (funder, _share) in network.projects.items()
        ]
        if rollup.tell() > COPY_CHUNK:
            flush()
    flush()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RollupCell._meta.db_table}")
        cursor.execute(f"ANALYZE {PublishedCell._meta.db_table}")
    ProjectRef.objects.bulk_create(refs)
    return count


def people_of(index: int, tenants: int) -> int:
    """The register of the ``index``-th of ``tenants`` municipalities, sized like the benchmark's: 1 % large
    (20,000 people), the next 10 % medium (2,000), the rest small (200)."""
    large = max(1, round(tenants * 0.01))
    medium = max(1, round(tenants * 0.10))
    return 20_000 if index < large else 2_000 if index < large + medium else 200


def counties_fill(tenants: Sequence[Municipality]) -> None:
    """Give municipalities without a county one (in turn), so that the county filter selects some."""
    missing = [tenant for tenant in tenants if not tenant.county]
    for number, county in enumerate(COUNTIES):
        chosen = missing[number :: len(COUNTIES)]
        for tenant in chosen:
            tenant.county = county
        Municipality.objects.filter(pk__in=[tenant.pk for tenant in chosen]).update(county=county)


def synthetic_rollup_create(
    *, tenants: int = 300, months: int = 24, seed: int = 1
) -> tuple[list[Municipality], int]:
    """Municipality rows (no schemas) and their rollup. Returns the tenants and the cells written."""
    created = Municipality.objects.bulk_create(
        [
            Municipality(
                schema_name=f"bench{n:03d}",
                name=f"Benchkommun {n:03d}",
                kind=TenantKind.MUNICIPALITY,
                county=COUNTIES[n % len(COUNTIES)],
                status=TenantStatus.ACTIVE,
            )
            for n in range(tenants)
        ]
    )
    count = rollup_create(
        tenants=[(tenant, people_of(n, tenants)) for n, tenant in enumerate(created)],
        months=months,
        seed=seed,
    )
    return created, count


def dashboard_answer(*, selection: Selection) -> Dashboard:
    """The dashboard's whole server-side answer for a selection (what a request does before rendering)."""
    return dashboard_build(actor=None, selection=selection)


@dataclass
class Timing:
    label: str
    median_ms: float
    worst_ms: float


def dashboard_timings(
    *, rounds: int = 7, municipality_slug: str = "bench000", county: str = COUNTIES[0]
) -> list[Timing]:
    """Median and worst server time of the dashboard's answer for typical selections."""
    # Closed periods: the board's default view, and the one with every breakdown to read.
    today = dt.date.today()
    year = Period(PeriodKind.YEAR, dt.date(today.year - 1, 1, 1))
    quarter = Period(PeriodKind.QUARTER, dt.date(today.year - 1, 10, 1))
    selections = {
        "all municipalities, a year": selection_build(period=year),
        "all municipalities, a quarter, youth": selection_build(period=quarter, age="youth"),
        "one county, a year": selection_build(period=year, county=county),
        "one municipality, a year": selection_build(period=year, municipality_slug=municipality_slug),
    }
    results = []
    for label, selection in selections.items():
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            dashboard_answer(selection=selection)
            times.append((time.perf_counter() - started) * 1000)
        results.append(Timing(label, statistics.median(times), max(times)))
    return results
