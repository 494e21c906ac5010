"""Reads for the board's dashboards and funder reports: only from the published figures (``PublishedCell``).

The board never reads the rollup's true counts: closed periods show their published (perturbed, frozen)
figures; the open month shows preliminary totals, and those under ``PRELIMINARY_SHOWN_FROM`` never leave the
database (the queries return NULL in their place, ``_shown``). Sums across municipalities add up published
figures; a sum that leaves some out says so (``Figure.partial``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts.models import User
from stats.dimensions import (
    AGE_BAND_VALUES,
    AGE_LABELS,
    ALL,
    ARENA_VALUES,
    ARVS_LABELS,
    ARVS_VALUES,
    CATEGORY_VALUES,
    COARSE_GROUPS,
    COARSE_LABELS,
    GENDER_VALUES,
    GROUP_VALUES,
    Period,
    PeriodKind,
)
from stats.metrics import METRICS, CellKey
from stats.models import ProjectRef, PublicationRevision, PublishedCell, PublishedStatus
from stats.publication import PRELIMINARY_SHOWN_FROM, closes_on, is_closed
from tenants.models import Municipality
from tenants.selectors import member_municipalities

ZERO_MARK = "–"
WITHHELD_MARK = ".."
PRELIMINARY_MARK = f"<{PRELIMINARY_SHOWN_FROM}"
PARTIAL_MARK = "*"

# What a figure is: published for a closed period (perturbed, frozen), preliminary (the open month), or a
# municipality's own exact count (its own reports, never the board's).
FINAL = PublishedStatus.FINAL.value
PRELIMINARY = PublishedStatus.PRELIMINARY.value
EXACT = "exact"
PEOPLE_METRIC_KEYS = tuple(key for key, metric in METRICS.items() if metric.people)


@dataclass(frozen=True)
class Figure:
    """A figure as it may be shown: a value, or why there is none."""

    value: int | None
    metric: str = "participants"
    status: str = FINAL
    # A sum over municipalities that leaves out figures not shown (preliminary ones under 12).
    partial: bool = False

    @property
    def is_people(self) -> bool:
        return METRICS[self.metric].people

    @property
    def perturbed(self) -> bool:
        """Counts of people on the board's pages carry the cell-key noise (at most ±2 each)."""
        return self.is_people and self.status != EXACT

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def number(self) -> float | None:
        """The value in the unit shown (hours for minutes), or None when not shown."""
        if self.value is None:
            return None
        unit = METRICS[self.metric].unit
        if unit == "minutes":
            return round(self.value / 60, 1)
        if unit == "study":
            return round(self.value / 45, 1)
        return self.value

    @property
    def text(self) -> str:
        if self.value is None:
            return PRELIMINARY_MARK if self.status == PRELIMINARY else WITHHELD_MARK
        number = self.number
        if not number:
            return ZERO_MARK
        decimals = 0 if isinstance(number, int) else 1
        shown = number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)
        return f"{shown}{PARTIAL_MARK}" if self.partial else shown

    def __str__(self) -> str:
        return self.text


def _sum(parts: Iterable[tuple[int | None, str]], metric: str) -> Figure:
    """Sum of figures (value, status) from several municipalities or cells: shown ones only."""
    total, left_out, statuses, count = 0, 0, set(), 0
    for value, status in parts:
        count += 1
        statuses.add(status)
        if value is None:
            left_out += 1
        else:
            total += value
    status = PRELIMINARY if PRELIMINARY in statuses else EXACT if statuses == {EXACT} else FINAL
    if left_out and left_out == count:
        return Figure(None, metric=metric, status=status)
    return Figure(total, metric=metric, status=status, partial=bool(left_out))


def _hidden_preliminary() -> Q:
    return Q(status=PRELIMINARY, metric__in=PEOPLE_METRIC_KEYS, value__lt=PRELIMINARY_SHOWN_FROM)


def _shown() -> Case:
    """The value where it may be shown, NULL where not (a preliminary figure under 12, a withheld one): the
    database never hands out the rest."""
    return Case(When(_hidden_preliminary(), then=None), default=F("value"), output_field=IntegerField())


def _not_shown() -> Q:
    return _hidden_preliminary() | Q(value__isnull=True)


_NO_DIMS = {
    "gender": ALL,
    "age_band": ALL,
    "person_group": ALL,
    "category": ALL,
    "arena": ALL,
    "funder": ALL,
    "project": 0,
    "stage": ALL,
}


def _cells(**dims: object) -> dict[str, object]:
    return {**_NO_DIMS, **dims}


# --- Filters ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the board asked for: a period, some municipalities, optionally an age group."""

    period: Period
    tenants: tuple[Municipality, ...]
    age: str = ALL
    municipality: Municipality | None = None
    county: str = ""

    @property
    def tenant_ids(self) -> list[int]:
        return [tenant.pk for tenant in self.tenants]

    @property
    def description(self) -> str:
        where = self.municipality.name if self.municipality else (self.county or _("All municipalities"))
        parts = [period_label(self.period), where]
        if self.age:
            parts.append(str(COARSE_LABELS[self.age]))
        return " · ".join(parts)


def period_label(period: Period) -> str:
    if period.kind == PeriodKind.YEAR:
        return str(period.year)
    if period.kind == PeriodKind.QUARTER:
        return _("Quarter %(quarter)s %(year)s") % {
            "quarter": (period.start.month - 1) // 3 + 1,
            "year": period.year,
        }

    return date_format(period.start, "F Y")


def counties() -> list[str]:
    return sorted({c for c in member_municipalities().values_list("county", flat=True) if c})


def selection_build(
    *, period: Period, municipality_slug: str = "", county: str = "", age: str = ALL
) -> Selection:
    """Resolve the board's filters to municipalities. Unknown values raise ValueError (the form shows it)."""
    tenants = member_municipalities()
    municipality = None
    if municipality_slug:
        municipality = tenants.filter(schema_name=municipality_slug).first()
        if municipality is None:
            raise ValueError(municipality_slug)
        tenants = tenants.filter(pk=municipality.pk)
    if county:
        tenants = tenants.filter(county=county)
    if age not in (ALL, *COARSE_GROUPS):
        raise ValueError(age)
    return Selection(period=period, tenants=tuple(tenants), age=age, municipality=municipality, county=county)


def periods_available() -> list[Period]:
    """Years and quarters with any figure, newest first; this year always."""
    years = set(
        # Month totals only: the dashboard index's leading columns, a few rows per municipality and year.
        PublishedCell.objects.filter(period_kind=PeriodKind.MONTH, cut="", metric="sessions_held")
        .values_list("period__year", flat=True)
        .distinct()
    )
    years.add(timezone.localdate().year)
    result: list[Period] = []
    for year in sorted(years, reverse=True):
        result.append(Period(PeriodKind.YEAR, dt.date(year, 1, 1)))
        result += [Period(PeriodKind.QUARTER, dt.date(year, month, 1)) for month in (10, 7, 4, 1)]
    return result


def default_period(periods: Sequence[Period] | None = None) -> Period:
    """What the board sees first: the period that closed last (a year from the day it closes, else the latest
    closed quarter), or this year while nothing has closed."""
    periods = periods_available() if periods is None else periods
    today = timezone.localdate()
    closed = [period for period in periods if is_closed(period, today)]
    if not closed:
        return periods[0]
    return max(closed, key=lambda period: (period.end, period.kind == PeriodKind.YEAR))


def closed_periods(periods: Sequence[Period] | None = None) -> list[Period]:
    """The periods whose figures are published (funder reports are made for these only)."""
    today = timezone.localdate()
    return [
        period for period in (periods_available() if periods is None else periods) if is_closed(period, today)
    ]


# --- The dashboard ----------------------------------------------------------------------------------------

OVERVIEW_METRICS = (
    "participants",
    "new_participants",
    "attendances",
    "households",
    "registered",
    "sessions_held",
    "volunteer_minutes",
    "active_matches",
)
# Metrics counted by person: the only ones with age, gender and group.
PEOPLE_METRICS = ("participants", "new_participants", "attendances", "registered")
PATHWAY_METRICS = ("pathways", "pathway_steps")
# Every cut the dashboard's breakdowns read (people by gender or group, within an age group or not; age
# bands; categories; arenas; pathways by arena and stage).
BREAKDOWN_CUTS = (
    "",
    "gender",
    "person_group",
    "age_band",
    "age_band+gender",
    "age_band+person_group",
    "category",
    "arena",
    "stage",
    "arena+stage",
)
SCOPE_METRICS = (
    "participants",
    "new_participants",
    "attendances",
    "households",
    "sessions_held",
    "volunteer_minutes",
)


@dataclass
class Row:
    key: str
    label: str
    figures: dict[str, Figure]


@dataclass
class Table:
    """One view of the dashboard: a chart and a table of the same numbers, and an export."""

    key: str
    title: str
    metrics: tuple[str, ...]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    chart: str = "bar"  # bar, line
    # Column labels where columns are not metrics (genders in the Arvsfonden tables).
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [
            (key, str(self.labels[key]) if key in self.labels else str(METRICS[key].label))
            for key in self.metrics
        ]

    def matrix(self) -> list[list[str]]:
        """Header and rows as text, for CSV and XLSX."""
        out = [[self.title, *[label for _key, label in self.columns]]]
        for row in [*self.rows, *([self.total] if self.total else [])]:
            out.append([row.label, *[row.figures[metric].text for metric in self.metrics]])
        return out


@dataclass(frozen=True)
class RevisionNote:
    """A line of a closed period's publication log, as the board reads it with the figures."""

    municipality: str
    revision: int
    reason: str
    day: dt.date
    changed: int
    figures: int


@dataclass
class Dashboard:
    selection: Selection
    totals: Row
    tables: list[Table] = field(default_factory=list)
    # The period has not closed: its months so far, no breakdowns; they come on ``closes_on``.
    preliminary: bool = False
    closes_on: dt.date | None = None
    revisions: list[RevisionNote] = field(default_factory=list)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


# An open period has no figures of its own: the comparison adds up its months so far, which is right for
# figures that add up over months, and only for those.
OPEN_METRICS = ("new_participants", "attendances", "registered", "sessions_held", "volunteer_minutes")


def _overview_metrics(selection: Selection, preliminary: bool) -> tuple[str, ...]:
    if preliminary:
        return () if selection.age else OPEN_METRICS
    return PEOPLE_METRICS if selection.age else OVERVIEW_METRICS


def dashboard_build(*, actor: User | None, selection: Selection, today: dt.date | None = None) -> Dashboard:
    """Everything the board's dashboard shows for a selection, in four queries on the published figures.

    This is the function the benchmark times (``make bench``): it is the whole server-side work of the
    dashboard apart from rendering. A closed period shows its published figures; an open one its months so
    far (the open month preliminary) and nothing cut by age, gender or group.
    """
    today = today or timezone.localdate()
    period = selection.period
    preliminary = not is_closed(period, today)
    metrics = _overview_metrics(selection, preliminary)
    ids = selection.tenant_ids
    months = period.months()

    # 1. Each municipality's figures for the period: the comparison, and the totals as its sum. An open
    # period's are its months added up (figures that add up over months only).
    per_tenant: dict[int, dict[str, list[tuple[int | None, str]]]] = defaultdict(lambda: defaultdict(list))
    if preliminary:
        rows = _summed(
            PublishedCell.objects.filter(
                period_kind=PeriodKind.MONTH,
                cut="",
                period__gte=months[0].start,
                period__lt=period.end,
                metric__in=metrics,
                tenant_id__in=ids,
            ),
            ("tenant_id",),
        )
        for (metric, tenant_id), figure in rows.items():
            parts = per_tenant[tenant_id][str(metric)]  # type: ignore[index]
            parts.append((figure.value, figure.status))
            if figure.partial:  # some month left out: the sum says so too
                parts.append((None, figure.status))
    else:
        for tenant_id, metric, status, value in (
            PublishedCell.objects.filter(
                period_kind=period.kind,
                cut="age_band" if selection.age else "",
                period=period.start,
                metric__in=metrics,
                tenant_id__in=ids,
                age_band=selection.age,
            )
            .values_list("tenant_id", "metric", "status", _shown())
            .order_by()
        ):
            per_tenant[tenant_id][metric].append((value, status))

    def figure_of(parts: list[tuple[int | None, str]], metric: str) -> Figure:
        return _sum(parts, metric) if parts else Figure(0, metric=metric)

    comparison_rows = [
        Row(
            tenant.schema_name,
            tenant.name,
            {metric: figure_of(per_tenant[tenant.pk][metric], metric) for metric in metrics},
        )
        for tenant in selection.tenants
    ]
    totals = Row(
        "total",
        _("Total"),
        {
            metric: figure_of([part for t in selection.tenants for part in per_tenant[t.pk][metric]], metric)
            for metric in metrics
        },
    )
    tables: list[Table] = []
    if metrics:
        tables.append(
            Table(
                "municipalities",
                _("Municipalities compared"),
                metrics,
                comparison_rows,
                total=totals,
                note=_("Months so far added up; unique counts come when the period has closed.")
                if preliminary
                else "",
            )
        )

    # 2. Monthly trend: totals per month (months hold totals only, all ages); the open month preliminary.
    trend_metrics = OVERVIEW_METRICS
    trend = _summed(
        PublishedCell.objects.filter(
            period_kind=PeriodKind.MONTH,
            cut="",
            period__gte=months[0].start,
            period__lt=period.end,
            metric__in=trend_metrics,
            tenant_id__in=ids,
        ),
        ("period",),
    )
    tables.append(
        Table(
            "trend",
            _("Month by month"),
            trend_metrics,
            [
                Row(
                    month.key,
                    period_label(month),
                    {m: trend.get((m, month.start), Figure(0, metric=m)) for m in trend_metrics},
                )
                for month in months
            ],
            note=_("All ages: months are counted as totals only.") if selection.age else "",
            chart="line",
        )
    )

    # 3. The period's publication log for the chosen municipalities: when it was published, and revisions.
    names = {tenant.pk: tenant.name for tenant in selection.tenants}
    revisions = [
        RevisionNote(names[tenant_id], revision, reason, created.date(), changed, figures)
        for tenant_id, revision, reason, created, changed, figures in PublicationRevision.objects.filter(
            tenant_id__in=ids, period_kind=period.kind, period=period.start, revision__gt=1
        )
        .order_by("created_at", "tenant_id")
        .values_list("tenant_id", "revision", "reason", "created_at", "changed", "figures")
    ]
    dashboard = Dashboard(
        selection=selection,
        totals=totals,
        tables=tables,
        preliminary=preliminary,
        closes_on=closes_on(period),
        revisions=revisions,
    )
    if preliminary:
        return dashboard

    # 4. Breakdowns in one query: gender, group, age band, category, arena.
    bands = COARSE_GROUPS.get(selection.age, AGE_BAND_VALUES)
    if selection.age:
        people_cuts = Q(cut__in=["age_band+gender", "age_band+person_group"], age_band=selection.age)
    else:
        people_cuts = Q(cut__in=["gender", "person_group"])
    breakdown = (
        people_cuts
        | Q(cut="age_band", age_band__in=bands)
        | Q(cut__in=["category", "arena"])
        | Q(metric__in=PATHWAY_METRICS, cut__in=["", "stage", "arena+stage"])
    )
    # The cuts first, as a plain IN: the dashboard index (period kind, cut, period, …) answers it, where the
    # OR alone led the planner to read every cell of the period per municipality.
    grouped = _summed(
        PublishedCell.objects.filter(
            period_kind=period.kind, cut__in=BREAKDOWN_CUTS, period=period.start, tenant_id__in=ids
        ).filter(breakdown),
        ("gender", "person_group", "age_band", "category", "arena", "stage"),
    )

    def dim_rows(
        dim: str, values: Sequence[str], labels: dict[str, str], table_metrics: tuple[str, ...]
    ) -> list[Row]:
        position = ("gender", "person_group", "age_band", "category", "arena").index(dim)
        result = []
        for value in values:
            key = [ALL, ALL, ALL, ALL, ALL, ALL]
            key[position] = value
            if dim != "age_band":
                key[2] = selection.age if dim in ("gender", "person_group") else ALL
            result.append(
                Row(
                    value,
                    str(labels[value]),
                    {m: grouped.get((m, *key), Figure(0, metric=m)) for m in table_metrics},
                )
            )
        return result

    from core.models import ActivityCategory, Arena, Gender, PersonGroup

    people = PEOPLE_METRICS
    scope_metrics = SCOPE_METRICS
    age_note = _("All ages: categories and arenas are counted for everyone.") if selection.age else ""
    tables += [
        Table(
            "gender",
            _("By gender"),
            people,
            dim_rows("gender", GENDER_VALUES, _labels(Gender.choices), people),
        ),
        Table(
            "age",
            _("By age band"),
            people,
            dim_rows("age_band", bands, {band: str(AGE_LABELS[band]) for band in bands}, people),
        ),
        Table(
            "group",
            _("Newcomers and established"),
            people,
            dim_rows("person_group", GROUP_VALUES, _labels(PersonGroup.choices), people),
        ),
        Table(
            "arena",
            _("By arena"),
            scope_metrics,
            dim_rows("arena", ARENA_VALUES, _labels(Arena.choices), scope_metrics),
            note=age_note,
        ),
        Table(
            "category",
            _("By category"),
            scope_metrics,
            dim_rows("category", CATEGORY_VALUES, _labels(ActivityCategory.choices), scope_metrics),
            note=age_note,
        ),
    ]
    tables += _pathway_tables(selection, grouped)
    return dashboard


def _pathway_tables(selection: Selection, grouped: dict[tuple[object, ...], Figure]) -> list[Table]:
    """Pathways by arena × stage: where they stood at the period's end, and the steps taken in it, from the
    breakdown query's cells. Counted for all ages: the rollup keeps no age for pathways."""
    from core.models import PathwayStage
    from core.models.pathways import PATHWAY_ARENAS

    stages = tuple(PathwayStage.values)
    labels = {**_labels(PathwayStage.choices), ALL: _("All stages")}
    note = _("All ages: pathways are counted for everyone.") if selection.age else ""

    # Columns are stages; "all" is every stage (the rollup's "" would be lost in a CSV header or a URL).
    def column_stage(column: str) -> str:
        return ALL if column == "all" else column

    def table(metric: str, key: str, title: str, columns: tuple[str, ...], table_note: str) -> Table:
        def row(arena: str, label: str) -> Row:
            figures = {
                column: grouped.get(
                    (metric, ALL, ALL, ALL, ALL, arena, column_stage(column)), Figure(0, metric=metric)
                )
                for column in columns
            }
            return Row(arena or "total", label, figures)

        return Table(
            key,
            title,
            columns,
            [row(arena.value, str(arena.label)) for arena in PATHWAY_ARENAS],
            total=row(ALL, _("All arenas")),
            labels={column: labels[column_stage(column)] for column in columns},
            note=" ".join(part for part in (table_note, note) if part),
        )

    return [
        table(
            "pathways",
            "pathways",
            _("Pathways by arena and stage"),
            (*stages, "all"),
            _("Where each pathway stood at the end of the period (today for the running one)."),
        ),
        table(
            "pathway_steps",
            "pathway_steps",
            _("Pathway steps taken in the period"),
            stages,
            _("Pathways that reached each stage during the period."),
        ),
    ]


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    return {key: str(label) for key, label in choices}


def _summed(queryset: QuerySet[PublishedCell], by: tuple[str, ...]) -> dict[tuple[object, ...], Figure]:
    """Sum shown figures per metric and ``by`` in the database; count what was left out."""
    result: dict[tuple[object, ...], Figure] = {}
    rows = (
        queryset.values("metric", *by)
        .annotate(
            shown=Sum(_shown()),
            left_out=Count("id", filter=_not_shown()),
            preliminary=Count("id", filter=Q(status=PRELIMINARY)),
            rows=Count("id"),
        )
        .order_by()
    )
    for row in rows:
        metric = row["metric"]
        key = (metric, *(row[name] for name in by))
        status = PRELIMINARY if row["preliminary"] else FINAL
        if row["left_out"] == row["rows"]:
            result[key] = Figure(None, metric=metric, status=status)
        else:
            result[key] = Figure(
                row["shown"] or 0, metric=metric, status=status, partial=bool(row["left_out"])
            )
    return result


# --- Member overview --------------------------------------------------------------------------------------


def last_activity_by_tenant() -> dict[int, dt.date]:
    """The last month with a session held, per municipality, from the published figures."""
    rows = (
        PublishedCell.objects.filter(period_kind=PeriodKind.MONTH, cut="", metric="sessions_held")
        .values("tenant_id")
        .annotate(last=Max("period"))
        .order_by()
    )
    return {row["tenant_id"]: row["last"] for row in rows}


# --- Funder reports ---------------------------------------------------------------------------------------

REPORT_METRICS = (
    "participants",
    "attendances",
    "households",
    "sessions_held",
    "volunteer_minutes",
    "lok_sessions",
    "lok_attendances",
    "study_minutes",
    "participant_minutes",
)


@dataclass(frozen=True)
class ReportScope:
    """A report is about one project (of one municipality) or one funder kind (in the chosen municipalities)."""

    project: int = 0
    funder: str = ALL
    name: str = ""

    def matches(self, key: CellKey) -> bool:
        return key.project == self.project and key.funder == self.funder


@dataclass
class FunderReport:
    title: str
    period: Period
    scope: ReportScope
    where: str
    arvs_participants: Table
    arvs_attendances: Table
    lok: Table
    summary: Table
    exact: bool = False

    @property
    def tables(self) -> list[Table]:
        return [self.summary, self.arvs_participants, self.arvs_attendances, self.lok]

    @property
    def period_text(self) -> str:
        return period_label(self.period)


# One cell as a report reads it: municipality, key, value (None when not shown), status.
ReportCell = tuple[int, CellKey, int | None, str]


def report_cells_published(*, period: Period, scope: ReportScope, tenant_ids: list[int]) -> list[ReportCell]:
    """A closed period's published figures for a funder report (the board's reports are for closed periods
    only: their tables are cut by age and gender)."""
    rows = PublishedCell.objects.filter(
        tenant_id__in=tenant_ids,
        period_kind=period.kind,
        period=period.start,
        status=FINAL,
        metric__in=REPORT_METRICS,
        project=scope.project,
        funder=scope.funder,
        person_group=ALL,
        category=ALL,
        arena=ALL,
        stage=ALL,
    ).values_list("tenant_id", "metric", "gender", "age_band", "value")
    return [
        (
            tenant_id,
            CellKey(
                period.kind,
                period.start,
                metric,
                gender=gender,
                age_band=age,
                funder=scope.funder,
                project=scope.project,
            ),
            value,
            FINAL,
        )
        for tenant_id, metric, gender, age, value in rows
    ]


def funder_report_build(
    *, period: Period, scope: ReportScope, cells: list[ReportCell], where: str, exact: bool = False
) -> FunderReport:
    """Arvsfonden, LOK-stöd and study-hour tables from cells (the rollup's, or a municipality's own)."""
    from core.models import Gender

    by_key: dict[tuple[str, str, str], list[tuple[int | None, str]]] = defaultdict(list)
    for _tenant, key, value, status in cells:
        by_key[(key.metric, key.age_band, key.gender)].append((value, status))
    status = EXACT if exact else FINAL

    def figure(metric: str, age: str = ALL, gender: str = ALL) -> Figure:
        parts = by_key.get((metric, age, gender))
        return _sum(parts, metric) if parts else Figure(0, metric=metric, status=status)

    genders = list(GENDER_VALUES)
    gender_labels = _labels(Gender.choices)

    # Columns of the Arvsfonden tables are genders; the "metric" slot names the column.
    def arvs_table(metric: str, key: str, title: str) -> Table:
        rows = [
            Row(
                age,
                str(ARVS_LABELS[age]),
                {g: figure(metric, age, g) for g in genders} | {"all": figure(metric, age)},
            )
            for age in ARVS_VALUES
        ]
        total = Row(
            "total", _("Total"), {g: figure(metric, ALL, g) for g in genders} | {"all": figure(metric)}
        )
        return Table(
            key, title, (*genders, "all"), rows, total=total, labels={**gender_labels, "all": _("All")}
        )

    lok_rows = [
        Row(g, str(gender_labels[g]), {"lok_attendances": figure("lok_attendances", ALL, g)}) for g in genders
    ]
    lok = Table(
        "lok",
        _("LOK-stöd: attendances aged 7–25 by gender"),
        ("lok_attendances",),
        lok_rows,
        total=Row("total", _("Total"), {"lok_attendances": figure("lok_attendances")}),
    )
    summary_metrics = (
        "participants",
        "attendances",
        "households",
        "sessions_held",
        "volunteer_minutes",
        "lok_sessions",
        "lok_attendances",
        "study_minutes",
        "participant_minutes",
    )
    summary = Table(
        "summary",
        _("Summary"),
        ("value",),
        [Row(m, str(METRICS[m].label), {"value": figure(m)}) for m in summary_metrics],
        labels={"value": str(_("Figure"))},
    )
    title = scope.name or _("All projects of the funder")
    return FunderReport(
        title=title,
        period=period,
        scope=scope,
        where=where,
        arvs_participants=arvs_table(
            "participants", "arvs_participants", _("Arvsfonden: participants by age and gender")
        ),
        arvs_attendances=arvs_table(
            "attendances", "arvs_attendances", _("Arvsfonden: attendances by age and gender")
        ),
        lok=lok,
        summary=summary,
        exact=exact,
    )


def project_refs(*, tenant_ids: list[int]) -> QuerySet[ProjectRef]:
    return (
        ProjectRef.objects.filter(tenant_id__in=tenant_ids)
        .select_related("tenant")
        .order_by("tenant__name", "name")
    )
