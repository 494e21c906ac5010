"""How each figure is counted from a municipality's own tables, one calendar year at a time.

A metric is a small function that reads the year's facts (``YearFacts``, loaded once and shared) and adds to
a ``CellCounter``. To add one (issue 8's active matches, or pathways by arena and stage), write the function
and register it in ``METRICS``; see the README's statistics section. Everything runs inside the tenant's
schema and never sees another municipality.

Rules (documented for funders, README):
- A session is *held* when it is not cancelled and has started. Only held sessions count.
- An *attendance* (deltagartillfälle) is a row with status present at a held session.
- *Age* is the age a person turns in the calendar year of the session, as LOK-stöd counts (the years they
  turn 7 to 25). It needs only the birth year, which an erasure keeps: erasing a person changes no figure.
  A person's age band for unique counts in a period is the one at their first attendance in that period, so
  each person falls in exactly one band per period.
- A session belongs to a *project* when its activity is in the project and its date is within the project's
  dates; to a *funder* through its projects.
- *New participants*: people whose first attendance ever falls in the period (counted where it happened).
- *Households reached*: households with at least one member attending; a person without a household counts
  as a household of one.
- *People registered*: people added to the register in the period (age at that day).
- *LOK-stöd*: a held session qualifies when at least 3 participants aged 7–25 (at the session's date) are
  present and a leader was there: hours were logged for the session, or the activity has a leader recorded
  (the model has no per-session leader attendance). Counted: qualifying sessions and attendances aged 7–25.
- *Study hours* (studietimmar): 45 minutes of session time make one study hour. Kept as minutes: session
  minutes of held sessions with someone present, and participant minutes (session minutes × participants).
- *Active matches*: matches (friend families, language friends, buddies) that were active on at least one
  day of the period: started on or before its last day and not ended before its first. *Matches started*:
  matches whose active phase began in the period.
- *Pathways* (a stock, like a balance sheet): pathways by the stage they had reached on the period's last
  day (today for the running period), by arena and stage. *Pathway steps* (a flow): pathways that reached a
  stage in the period, by arena and stage: "established in club life in 2026" is the outcome funders ask
  for. Each pathway reaches each stage at most once, so steps add up over months.
- Periods that have not begun are not counted for matches and pathways: they are states, not events.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Match,
    PathwayStageChange,
    Person,
    Project,
    Session,
    SessionStatus,
    VolunteerHours,
)
from core.models.people import age_band
from stats.cellkey import KEY_SPACE, RecordKey
from stats.dimensions import (
    ALL,
    COARSE_OF_BAND,
    LOK_AGES,
    Period,
    PeriodKind,
    arvs_group,
    periods_of_day,
    periods_of_year,
)


class CellKey(NamedTuple):
    period_kind: str
    period: dt.date
    metric: str
    gender: str = ALL
    age_band: str = ALL
    person_group: str = ALL
    category: str = ALL
    arena: str = ALL
    funder: str = ALL
    project: int = 0
    stage: str = ALL


# A scope is what a cell is "about" apart from the people dimensions: everything, one category, one arena,
# one project or one funder.
Scope = tuple[str, str | int]
SCOPE_ALL: Scope = ("all", "")


def scope_of(key: CellKey) -> Scope:
    if key.project:
        return ("project", key.project)
    if key.funder:
        return ("funder", key.funder)
    if key.category:
        return ("category", key.category)
    if key.arena:
        return ("arena", key.arena)
    return SCOPE_ALL


def with_scope(key: CellKey, scope: Scope) -> CellKey:
    cleared = key._replace(project=0, funder=ALL, category=ALL, arena=ALL)
    kind, value = scope
    if kind == "project":
        return cleared._replace(project=int(value))
    if kind in ("funder", "category", "arena"):
        return cleared._replace(**{kind: str(value)})  # type: ignore[arg-type]
    return cleared


@dataclass
class CellCounter:
    """Counts per cell, their cell keys, and what the audit needs to know about how cells relate."""

    values: Counter[CellKey] = field(default_factory=Counter)
    # For figures that are not head counts (participant minutes): the number of attendances behind them.
    base: Counter[CellKey] = field(default_factory=Counter)
    # Who or what stands behind each (metric, period, scope): two scopes with the same members have equal
    # figures, and scopes whose members split another's add up to it. The audit must know both.
    coverage: dict[tuple[str, Period, Scope], set[object]] = field(default_factory=lambda: defaultdict(set))
    project_funders: dict[int, str] = field(default_factory=dict)
    # Each cell's key: the sum of its records' keys modulo 2³² (stats.cellkey). Kept only when counting with
    # a municipality's record keys (for the rollup); a municipality's own exact reports do without.
    cell_keys: Counter[CellKey] = field(default_factory=Counter)
    record_key: RecordKey | None = None

    def add(self, keys: Iterable[CellKey], amount: int = 1, record: Hashable | None = None) -> None:
        """Count ``amount`` in each cell; ``record`` is what is counted (a person, an attendance, …): its
        record key joins each cell's key, once per cell."""
        record_key = self.record_key(record) if self.record_key is not None and record is not None else None
        for key in keys:
            self.values[key] += amount
            if record_key is not None:
                self.cell_keys[key] = (self.cell_keys[key] + record_key) % KEY_SPACE

    def cover(self, metric: str, period: Period, scopes: Iterable[Scope], unit: object) -> None:
        if period.kind == PeriodKind.MONTH:
            return  # months hold totals only: no scopes to compare
        for scope in scopes:
            self.coverage[(metric, period, scope)].add(unit)


@dataclass(frozen=True)
class SessionFact:
    id: int
    activity_id: int
    day: dt.date
    minutes: int
    category: str
    arena: str
    projects: tuple[tuple[int, str], ...]  # (project id, funder kind)
    led: bool


@dataclass(frozen=True)
class PersonFact:
    id: int
    gender: str
    group: str
    birth_date: dt.date | None
    birth_year: int | None
    household_id: int | None
    created_day: dt.date

    def age_on(self, day: dt.date) -> int | None:
        """The age the person turns in the year of ``day`` (LOK-stöd's rule): the birth year is enough, and
        an erasure, which keeps only the birth year, changes no figure."""
        year = self.birth_date.year if self.birth_date else self.birth_year
        return day.year - year if year else None


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def held_sessions() -> Q:
    """Sessions that count: not cancelled and started."""
    return ~Q(status=SessionStatus.CANCELLED) & Q(starts_at__lte=timezone.now())


class YearFacts:
    """What one municipality's own tables say about one year, loaded with a fixed number of queries."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.start, self.end = year_bounds(year)

    @cached_property
    def projects(self) -> dict[int, tuple[str, dt.date, dt.date]]:
        return {
            pk: (funder, starts, ends)
            for pk, funder, starts, ends in Project.objects.values_list(
                "id", "funder_kind", "starts_on", "ends_on"
            )
        }

    @cached_property
    def activity_projects(self) -> dict[int, list[int]]:
        links: dict[int, list[int]] = defaultdict(list)
        for project_id, activity_id in Project.activities.through.objects.values_list(
            "project_id", "activity_id"
        ):
            links[activity_id].append(project_id)
        return links

    def projects_on(self, activity_id: int, day: dt.date) -> tuple[tuple[int, str], ...]:
        found = []
        for project_id in sorted(self.activity_projects.get(activity_id, ())):
            funder, starts, ends = self.projects[project_id]
            if starts <= day <= ends:
                found.append((project_id, funder))
        return tuple(found)

    @cached_property
    def activities(self) -> dict[int, tuple[str, str]]:
        return {
            pk: (category, arena)
            for pk, category, arena in Activity.objects.values_list("id", "category", "arena")
        }

    @cached_property
    def led_activities(self) -> set[int]:
        return set(Activity.leaders.through.objects.values_list("activity_id", flat=True))

    def _session_fact(self, row: tuple[int, int, dt.datetime, dt.datetime], logged: set[int]) -> SessionFact:
        pk, activity_id, starts_at, ends_at = row
        day = _local_day(starts_at)
        category, arena = self.activities[activity_id]
        return SessionFact(
            id=pk,
            activity_id=activity_id,
            day=day,
            minutes=int((ends_at - starts_at).total_seconds() // 60),
            category=category,
            arena=arena,
            projects=self.projects_on(activity_id, day),
            led=pk in logged or activity_id in self.led_activities,
        )

    @cached_property
    def sessions(self) -> dict[int, SessionFact]:
        """Held sessions of the year."""
        rows = Session.objects.filter(held_sessions(), starts_at__gte=self.start, starts_at__lt=self.end)
        logged = set(
            VolunteerHours.objects.filter(
                session__starts_at__gte=self.start, session__starts_at__lt=self.end
            ).values_list("session_id", flat=True)
        )
        return {
            row[0]: self._session_fact(row, logged)
            for row in rows.values_list("id", "activity_id", "starts_at", "ends_at")
        }

    @cached_property
    def attendances(self) -> list[tuple[int, int]]:
        """(session, person) for every attendance of the year (present, at a held session)."""
        return list(
            Attendance.objects.filter(
                status=AttendanceStatus.PRESENT, session_id__in=list(self.sessions)
            ).values_list("session_id", "person_id")
        )

    @cached_property
    def first_attendances(self) -> dict[int, SessionFact]:
        """For people attending this year whose first attendance ever is this year: that first session."""
        people = {person for _session, person in self.attendances}
        firsts = (
            Attendance.objects.filter(status=AttendanceStatus.PRESENT, person_id__in=list(people))
            .filter(Q(session__starts_at__lte=timezone.now()) & ~Q(session__status=SessionStatus.CANCELLED))
            .order_by("person_id", "session__starts_at", "session_id")
            .distinct("person_id")
            .values_list("person_id", "session_id")
        )
        return {person: self.sessions[session] for person, session in firsts if session in self.sessions}

    @cached_property
    def registered(self) -> list[int]:
        return list(
            Person.objects.filter(created_at__gte=self.start, created_at__lt=self.end).values_list(
                "id", flat=True
            )
        )

    @cached_property
    def people(self) -> dict[int, PersonFact]:
        wanted = {person for _session, person in self.attendances} | set(self.registered)
        rows = Person.objects.filter(id__in=list(wanted)).values_list(
            "id", "gender", "group", "birth_date", "birth_year", "household_id", "created_at"
        )
        return {
            pk: PersonFact(pk, gender, group, birth_date, birth_year, household, _local_day(created))
            for pk, gender, group, birth_date, birth_year, household, created in rows
        }

    @cached_property
    def volunteer_hours(self) -> list[tuple[int, dt.date, int]]:
        return list(
            VolunteerHours.objects.filter(
                date__gte=dt.date(self.year, 1, 1), date__lt=dt.date(self.year + 1, 1, 1)
            ).values_list("activity_id", "date", "minutes")
        )

    @cached_property
    def matches(self) -> list[tuple[int, dt.date, dt.date | None]]:
        """(id, started, ended) of the matches active on some day of the year."""
        first, last = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        rows = (
            Match.objects.filter(started_on__isnull=False, started_on__lte=last)
            .exclude(ended_on__lt=first)
            .values_list("id", "started_on", "ended_on")
        )
        return [(pk, started, ended) for pk, started, ended in rows if started is not None]

    @cached_property
    def pathways(self) -> dict[int, tuple[str, list[tuple[dt.date, str]]]]:
        """Each pathway's arena and the stages it reached up to the year's end, oldest first."""
        found: dict[int, tuple[str, list[tuple[dt.date, str]]]] = {}
        rows = (
            PathwayStageChange.objects.filter(changed_on__lte=dt.date(self.year, 12, 31))
            .order_by("pathway_id", "changed_on", "id")
            .values_list("pathway_id", "pathway__arena", "changed_on", "stage")
        )
        for pathway_id, arena, day, stage in rows:
            found.setdefault(pathway_id, (arena, []))[1].append((day, stage))
        return found

    @cached_property
    def attendances_by_session(self) -> dict[int, list[PersonFact]]:
        present: dict[int, list[PersonFact]] = defaultdict(list)
        for session, person in self.attendances:
            present[session].append(self.people[person])
        return present


# --- Cuts: which cells one contribution lands in ----------------------------------------------------------


def _coarse(age: int | None) -> list[str]:
    group = COARSE_OF_BAND.get(age_band(age))
    return [ALL, group] if group else [ALL]


def people_cells(
    period: Period,
    metric: str,
    person: PersonFact,
    age: int | None,
    categories: Iterable[str] = (),
    arenas: Iterable[str] = (),
    projects: Iterable[tuple[int, str]] = (),
) -> Iterator[CellKey]:
    """The cells one person (or one attendance) counts in.

    Months (for the trend): the total only. Quarters and years: all ages and each coarse age group (children,
    youth, adults) × nothing, gender and group; each category; each arena; each age band; per project and funder: Arvsfonden's age groups × nothing and gender. Finer cuts (a month by category and
    age band) would be mostly under 5 and, protected, would hide the figures people need.
    """
    base = CellKey(period.kind, period.start, metric)
    if period.kind == PeriodKind.MONTH:
        yield base
        return
    for age_value in _coarse(age):
        cell = base._replace(age_band=age_value)
        yield cell
        yield cell._replace(gender=person.gender)
        yield cell._replace(person_group=person.group)
    for category in categories:
        yield base._replace(category=category)
    for arena in arenas:
        yield base._replace(arena=arena)
    yield base._replace(age_band=age_band(age))
    projects = sorted(set(projects))
    funders = sorted({funder for _project, funder in projects})
    scoped = [base._replace(project=project) for project, _f in projects]
    scoped += [base._replace(funder=funder) for funder in funders]
    for cell in scoped:
        for age_value in (ALL, arvs_group(age)):
            yield cell._replace(age_band=age_value)
            yield cell._replace(age_band=age_value, gender=person.gender)


def scope_cells(
    period: Period,
    metric: str,
    category: Iterable[str],
    arena: Iterable[str],
    projects: Iterable[tuple[int, str]],
) -> Iterator[CellKey]:
    """Cells without people dimensions: all (months too), and for quarters and years each category, arena,
    project and funder."""
    base = CellKey(period.kind, period.start, metric)
    yield base
    if period.kind == PeriodKind.MONTH:
        return
    for value in sorted(set(category)):
        yield base._replace(category=value)
    for value in sorted(set(arena)):
        yield base._replace(arena=value)
    projects = sorted(set(projects))
    for project, _funder in projects:
        yield base._replace(project=project)
    for funder in sorted({funder for _project, funder in projects}):
        yield base._replace(funder=funder)


def scopes(
    categories: Iterable[str], arenas: Iterable[str], projects: Iterable[tuple[int, str]]
) -> list[Scope]:
    found: list[Scope] = [SCOPE_ALL]
    found += [("category", value) for value in set(categories)]
    found += [("arena", value) for value in set(arenas)]
    projects = set(projects)
    found += [("project", project) for project, _funder in projects]
    found += [("funder", funder) for funder in {funder for _project, funder in projects}]
    return found


# --- The metrics ------------------------------------------------------------------------------------------


@dataclass
class _Reach:
    """What one person (or household) did in one period."""

    first: dt.date | None = None
    categories: set[str] = field(default_factory=set)
    arenas: set[str] = field(default_factory=set)
    projects: set[tuple[int, str]] = field(default_factory=set)

    def add(self, session: SessionFact) -> None:
        if self.first is None or session.day < self.first:
            self.first = session.day
        self.categories.add(session.category)
        self.arenas.add(session.arena)
        self.projects.update(session.projects)


def count_participants(facts: YearFacts, out: CellCounter) -> None:
    """Unique participants and households reached, per month, quarter and year."""
    people: dict[tuple[int, Period], _Reach] = defaultdict(_Reach)
    households: dict[tuple[tuple[str, int], Period], _Reach] = defaultdict(_Reach)
    for session_id, person_id in facts.attendances:
        session = facts.sessions[session_id]
        person = facts.people[person_id]
        household = ("h", person.household_id) if person.household_id else ("p", person.id)
        for period in periods_of_day(session.day):
            people[(person_id, period)].add(session)
            households[(household, period)].add(session)
    for (person_id, period), reach in people.items():
        person = facts.people[person_id]
        age = person.age_on(reach.first) if reach.first else None
        out.add(
            people_cells(period, "participants", person, age, reach.categories, reach.arenas, reach.projects),
            record=("person", person_id),
        )
        out.cover("participants", period, scopes(reach.categories, reach.arenas, reach.projects), person_id)
    for (household, period), reach in households.items():
        out.add(
            scope_cells(period, "households", reach.categories, reach.arenas, reach.projects),
            record=("household", household),
        )
        out.cover("households", period, scopes(reach.categories, reach.arenas, reach.projects), household)


def count_attendances(facts: YearFacts, out: CellCounter) -> None:
    for session_id, person_id in facts.attendances:
        session = facts.sessions[session_id]
        person = facts.people[person_id]
        age = person.age_on(session.day)
        for period in periods_of_day(session.day):
            out.add(
                people_cells(
                    period, "attendances", person, age, [session.category], [session.arena], session.projects
                ),
                record=("attendance", session_id, person_id),
            )
            out.cover(
                "attendances",
                period,
                scopes([session.category], [session.arena], session.projects),
                (session_id, person_id),
            )


def count_new_participants(facts: YearFacts, out: CellCounter) -> None:
    for person_id, session in facts.first_attendances.items():
        person = facts.people[person_id]
        age = person.age_on(session.day)
        for period in periods_of_day(session.day):
            out.add(
                people_cells(
                    period,
                    "new_participants",
                    person,
                    age,
                    [session.category],
                    [session.arena],
                    session.projects,
                ),
                record=("person", person_id),
            )
            out.cover(
                "new_participants",
                period,
                scopes([session.category], [session.arena], session.projects),
                person_id,
            )


def count_registered(facts: YearFacts, out: CellCounter) -> None:
    for person_id in facts.registered:
        person = facts.people[person_id]
        for period in periods_of_day(person.created_day):
            out.add(
                people_cells(period, "registered", person, person.age_on(person.created_day)),
                record=("person", person_id),
            )


def count_sessions_held(facts: YearFacts, out: CellCounter) -> None:
    for session in facts.sessions.values():
        for period in periods_of_day(session.day):
            out.add(
                scope_cells(period, "sessions_held", [session.category], [session.arena], session.projects)
            )


def count_volunteer_minutes(facts: YearFacts, out: CellCounter) -> None:
    for activity_id, day, minutes in facts.volunteer_hours:
        category, arena = facts.activities[activity_id]
        projects = facts.projects_on(activity_id, day)
        for period in periods_of_day(day):
            out.add(scope_cells(period, "volunteer_minutes", [category], [arena], projects), minutes)


def count_lok(facts: YearFacts, out: CellCounter) -> None:
    low, high = LOK_AGES
    for session_id, present in facts.attendances_by_session.items():
        session = facts.sessions[session_id]
        young = [p for p in present if (age := p.age_on(session.day)) is not None and low <= age <= high]
        if len(young) < 3 or not session.led:
            continue
        for period in periods_of_day(session.day):
            cells = list(scope_cells(period, "lok_sessions", [], [], session.projects))
            out.add(cells)
            for person in young:
                attendance = ("attendance", session_id, person.id)
                out.add((cell._replace(metric="lok_attendances") for cell in cells), record=attendance)
                out.add(
                    (cell._replace(metric="lok_attendances", gender=person.gender) for cell in cells),
                    record=attendance,
                )
                out.cover(
                    "lok_attendances", period, scopes([], [], session.projects), (session_id, person.id)
                )


def count_study_minutes(facts: YearFacts, out: CellCounter) -> None:
    for session_id, present in facts.attendances_by_session.items():
        session = facts.sessions[session_id]
        for period in periods_of_day(session.day):
            cells = list(scope_cells(period, "study_minutes", [], [], session.projects))
            out.add(cells, session.minutes)
            participant_cells = [cell._replace(metric="participant_minutes") for cell in cells]
            out.add(participant_cells, session.minutes * len(present))
            for cell in participant_cells:
                out.base[cell] += len(present)
            for person in present:
                out.cover(
                    "participant_minutes", period, scopes([], [], session.projects), (session_id, person.id)
                )


def _state_periods(year: int) -> list[tuple[Period, dt.date]]:
    """The periods of the year that have begun, with the day their state is read on (the last day, or
    today for the running period)."""
    today = timezone.localdate()
    return [
        (period, min(period.end - dt.timedelta(days=1), today))
        for period in periods_of_year(year)
        if period.start <= today
    ]


def count_matches(facts: YearFacts, out: CellCounter) -> None:
    """Active matches (a state, per period) and matches started (an event). Totals only: a match is a pair
    of people or families, and finer cuts would be almost all under 5."""
    for period, last in _state_periods(facts.year):
        for match_id, started, ended in facts.matches:
            if started <= last and (ended is None or ended >= period.start):
                out.add([CellKey(period.kind, period.start, "active_matches")], record=("match", match_id))
    for match_id, started, _ended in facts.matches:
        if started.year == facts.year:
            out.add(
                (CellKey(period.kind, period.start, "matches_started") for period in periods_of_day(started)),
                record=("match", match_id),
            )


def _stage_cells(period: Period, metric: str, arena: str, stage: str) -> list[CellKey]:
    """Months: by stage and by arena; quarters and years: the whole arena × stage table."""
    base = CellKey(period.kind, period.start, metric)
    cells = [base._replace(stage=stage), base._replace(arena=arena)]
    if period.kind != PeriodKind.MONTH:
        cells.append(base._replace(arena=arena, stage=stage))
    return cells


def count_pathways(facts: YearFacts, out: CellCounter) -> None:
    """Pathways by arena and the stage reached (a state per period) and the steps taken in the period."""
    periods = _state_periods(facts.year)
    for pathway_id, (arena, history) in facts.pathways.items():
        for day, stage in history:
            if day.year != facts.year:
                continue
            for period in periods_of_day(day):
                # Steps have no stage-less total (it would count steps, not people): the stage is the cut.
                cells = _stage_cells(period, "pathway_steps", arena, stage)
                out.add((cell for cell in cells if cell.stage), record=("step", pathway_id, stage))
        for period, last in periods:
            reached = [stage for day, stage in history if day <= last]
            if reached:
                record = ("pathway", pathway_id)
                out.add([CellKey(period.kind, period.start, "pathways")], record=record)
                out.add(_stage_cells(period, "pathways", arena, reached[-1]), record=record)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    # A count of people (or of people's attendances): hidden below 5 and protected from differencing.
    people: bool
    # Adds up over months (a month's figures sum to the quarter's and the year's).
    additive: bool
    # Dimensions whose values split the figure exactly (each person or attendance in exactly one value).
    partitions: frozenset[str]
    unit: str = "count"  # "count" or "minutes"


PEOPLE_DIMS = frozenset({"gender", "person_group", "age_band"})
SESSION_DIMS = frozenset({"gender", "person_group", "age_band", "category", "arena"})

METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric("participants", _("Unique participants"), people=True, additive=False, partitions=PEOPLE_DIMS),
        Metric(
            "new_participants", _("New participants"), people=True, additive=True, partitions=SESSION_DIMS
        ),
        Metric("attendances", _("Attendances"), people=True, additive=True, partitions=SESSION_DIMS),
        Metric("households", _("Households reached"), people=True, additive=False, partitions=frozenset()),
        Metric("registered", _("People registered"), people=True, additive=True, partitions=PEOPLE_DIMS),
        Metric("sessions_held", _("Sessions held"), people=False, additive=True, partitions=frozenset()),
        Metric(
            "volunteer_minutes",
            _("Volunteer hours"),
            people=False,
            additive=True,
            partitions=frozenset(),
            unit="minutes",
        ),
        Metric("lok_sessions", _("LOK sessions"), people=False, additive=True, partitions=frozenset()),
        Metric(
            "lok_attendances",
            _("LOK attendances (7–25)"),
            people=True,
            additive=True,
            partitions=frozenset({"gender"}),
        ),
        Metric(
            "study_minutes",
            _("Study hours (45 min)"),
            people=False,
            additive=True,
            partitions=frozenset(),
            unit="study",
        ),
        Metric(
            "participant_minutes",
            _("Participant study hours"),
            people=True,
            additive=True,
            partitions=frozenset(),
            unit="study",
        ),
        # A match is two people or families: small figures are hidden like head counts.
        Metric("active_matches", _("Active matches"), people=True, additive=False, partitions=frozenset()),
        Metric("matches_started", _("Matches started"), people=True, additive=True, partitions=frozenset()),
        Metric(
            "pathways", _("Pathways"), people=True, additive=False, partitions=frozenset({"arena", "stage"})
        ),
        # Without a stage-less total, only the arenas split a stage's figure.
        Metric(
            "pathway_steps", _("Pathway steps"), people=True, additive=True, partitions=frozenset({"arena"})
        ),
    )
}

# Each counter fills one or more metrics from the shared facts.
COUNTERS: tuple[Callable[[YearFacts, CellCounter], None], ...] = (
    count_participants,
    count_attendances,
    count_new_participants,
    count_registered,
    count_sessions_held,
    count_volunteer_minutes,
    count_lok,
    count_study_minutes,
    count_matches,
    count_pathways,
)


def count_year(year: int, record_key: RecordKey | None = None) -> CellCounter:
    """Every figure of one year of the current tenant (the connection's schema); with the municipality's
    record keys, each figure's cell key too."""
    facts = YearFacts(year)
    out = CellCounter(record_key=record_key)
    for counter in COUNTERS:
        counter(facts, out)
    out.project_funders = {project: funder for project, (funder, _s, _e) in facts.projects.items()}
    return out


def years_with_data() -> list[int]:
    """The years the current tenant has anything to count in, up to this year."""
    this_year = timezone.localdate().year
    firsts: list[int] = []
    first_session = Session.objects.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first_session:
        firsts.append(_local_day(first_session).year)
    first_person = Person.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first_person:
        firsts.append(_local_day(first_person).year)
    first_hours = VolunteerHours.objects.order_by("date").values_list("date", flat=True).first()
    if first_hours:
        firsts.append(first_hours.year)
    first_step = (
        PathwayStageChange.objects.order_by("changed_on").values_list("changed_on", flat=True).first()
    )
    if first_step:
        firsts.append(first_step.year)
    first_match = (
        Match.objects.exclude(started_on=None)
        .order_by("started_on")
        .values_list("started_on", flat=True)
        .first()
    )
    if first_match:
        firsts.append(first_match.year)
    if not firsts:
        return []
    return list(range(min(firsts), max(this_year, min(firsts)) + 1))
