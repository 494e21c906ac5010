"""The attacker test (issue 19): everything the board can fetch, at four moments, with one person's change
between each, and every relation the attacker can find between the figures (``stats.tests.attacker``).

The moments: the published statistics of two active municipalities (and two empty ones); then a 65+
established woman walks in twice today; then a 64-year-old is erased (anonymised: her age now comes from
her birth year, which makes her 65 at last year's sessions); then a forgotten attendance is added to a
session of a closed month. At each moment the attacker fetches the board's statistics API for every period,
municipality (and all of them) and age group, the dashboard's CSV export for each, and the funder reports
for the projects and the funder. Between two moments it knows exactly what changed.

It must not pin any count of 1 to 4 people to one value, and it must not tell the walk-in, the erasure or the
correction from the same change made by or to a person of another age band, gender or group: every such
alternative must fit what it saw. Before issue 19 (exact figures, small ones hidden, recomputed after every
save) all three fail: the 65+ band appears, and adults minus 26–64 is 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from api.services import api_token_create
from conftest import demo_user, login, tenant_client
from core.models import ActivityCategory, Arena, FunderKind, Gender, Person, PersonGroup, Session
from core.services.privacy import person_erase
from stats.dimensions import ALL, Period, PeriodKind
from stats.metrics import METRICS, CellKey, count_year
from stats.services import tenant_recompute
from stats.tests import attacker
from stats.tests.attacker import Knowledge, Var
from stats.tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    HouseholdFactory,
    PersonFactory,
    ProjectFactory,
    SessionFactory,
    at,
)
from tenants.models import Municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("varnamo_without_demo_data")]

SLUGS = ("varnamo", "vaggeryd", "gislaved", "vaxjo")
ACTIVE = ("varnamo", "vaggeryd")
AGES = ("", "children", "youth", "adults")
ACTIVITIES = (
    (ActivityCategory.LANGUAGE_CAFE, Arena.COMMUNITY_LIFE),
    (ActivityCategory.SPORT, Arena.CLUB_LIFE),
    (ActivityCategory.FAMILY, Arena.COMMUNITY_LIFE),
    (ActivityCategory.JOB_CLUB, Arena.WORKING_LIFE),
)


def _today() -> dt.date:
    return timezone.localdate()


def _first_year() -> int:
    return _today().year - 1


@dataclass
class World:
    """What the test (not the attacker) knows about the scenario's people."""

    target: dict[str, Person] = field(default_factory=dict)
    homebody: dict[str, Person] = field(default_factory=dict)
    closed_session: dict[str, Session] = field(default_factory=dict)
    today_sessions: dict[str, list[Session]] = field(default_factory=dict)


def network(slug: str, seed: int, people: int, world: World) -> None:
    """A year and a bit of weekly-ish activity up to yesterday, people of every age, one Arvsfonden project."""
    rng = random.Random(seed)
    today = _today()
    first = dt.date(_first_year(), 1, 1)
    activities = [
        ActivityFactory(title=f"Attack {slug} {category}", category=category, arena=arena)
        for category, arena in ACTIVITIES
    ]
    project = ProjectFactory(
        name=f"Attack {slug} Arvsfonden",
        funder_kind=FunderKind.ARVSFONDEN,
        starts_on=first,
        ends_on=today + dt.timedelta(days=400),
    )
    project.activities.add(activities[1], activities[2])
    households = [HouseholdFactory(name=f"Attack {slug} {n}") for n in range(people // 3)]
    crowd = []
    for n in range(people):
        age = rng.choice([3, 9, 15, 22, 35, 40, 48, 55])
        crowd.append(
            PersonFactory(
                first_name=f"Attack {slug} {n}",
                gender=rng.choice([Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.MAN, Gender.OTHER]),
                group=rng.choice(PersonGroup.values),
                birth_year=first.year - age,
                household=rng.choice([None, *households]),
            )
        )
    # The one who will be erased: 64 at last year's sessions by her birth date, 65 by her birth year.
    target = PersonFactory(
        first_name=f"Attack {slug} target",
        gender=Gender.WOMAN,
        group=PersonGroup.ESTABLISHED,
        birth_date=dt.date(first.year - 65, 12, 20),
        birth_year=first.year - 65,
    )
    world.target[slug] = target
    # Born the same way, but never came: erasing her changes nothing that is counted.
    world.homebody[slug] = PersonFactory(
        first_name=f"Attack {slug} homebody",
        gender=Gender.MAN,
        group=PersonGroup.NEWCOMER,
        birth_date=dt.date(first.year - 65, 12, 20),
        birth_year=first.year - 65,
    )
    day = first + dt.timedelta(days=rng.randint(0, 6))
    sessions = []
    while day < today:
        activity = rng.choice(activities)
        session = SessionFactory(activity=activity, starts_at=at(day, rng.randint(9, 18)))
        sessions.append(session)
        for person in rng.sample(crowd, rng.randint(3, 9)):
            AttendanceFactory(session=session, person=person)
        if day.year == first.year and day.month in (3, 6, 9) and rng.random() < 0.6:
            AttendanceFactory(session=session, person=target)
        day += dt.timedelta(days=rng.randint(4, 11))
    # A session of a closed month (the month before last), for the late correction.
    closed_month_end = today.replace(day=1) - dt.timedelta(days=1)
    closed_month_end = closed_month_end.replace(day=1) - dt.timedelta(days=1)
    world.closed_session[slug] = next(
        s
        for s in sessions
        if timezone.localtime(s.starts_at).date().replace(day=1) == closed_month_end.replace(day=1)
    )
    # Two sessions that began earlier today, for the walk-in.
    now = timezone.now()
    world.today_sessions[slug] = [
        SessionFactory(activity=activities[0], starts_at=now - dt.timedelta(minutes=minutes))
        for minutes in (20, 10)
    ]


# --- What the board can fetch ------------------------------------------------------------------------------


@dataclass
class Seen:
    """One figure as the board saw it: where, which true cell it stands for, its text and status."""

    scope: str
    cell: CellKey
    text: str
    status: str


def _period_of(key: str) -> Period:
    return Period.parse(key)


def _dashboard_cells(answer: dict[str, Any], scope: str, period: Period, age: str) -> list[Seen]:
    seen: list[Seen] = []

    def add(where: str, cell: CellKey, figure: dict[str, Any]) -> None:
        if METRICS[cell.metric].people and cell.metric != "participant_minutes":
            seen.append(Seen(where, cell, figure["text"], figure.get("status", "live")))

    base = CellKey(period.kind, period.start, "participants", age_band=age)
    # Documented: an open period's totals are its months so far added up, which say nothing the months'
    # own figures do not.
    sums_of_months = answer.get("preliminary", False)
    if not sums_of_months:
        for metric, figure in answer["totals"].items():
            add(scope, base._replace(metric=metric), figure)
    for table in answer["tables"]:
        key = table["key"]
        if key == "municipalities" and sums_of_months:
            continue
        rows = [*table["rows"], *([table["total"]] if table["total"] else [])]
        for row in rows:
            for column, figure in row["figures"].items():
                if key == "municipalities":
                    where = scope if row["key"] == "total" else row["key"]
                    add(where, base._replace(metric=column), figure)
                elif key == "trend":
                    month = _period_of(row["key"])
                    add(scope, CellKey(month.kind, month.start, column), figure)
                elif key == "gender":
                    add(scope, base._replace(metric=column, gender=row["key"]), figure)
                elif key == "group":
                    add(scope, base._replace(metric=column, person_group=row["key"]), figure)
                elif key == "age":
                    add(scope, base._replace(metric=column, age_band=row["key"]), figure)
                elif key in ("arena", "category"):
                    add(scope, base._replace(metric=column, age_band=ALL, **{key: row["key"]}), figure)
                elif key in ("pathways", "pathway_steps"):
                    arena = ALL if row["key"] == "total" else row["key"]
                    stage = ALL if column == "all" else column
                    add(scope, CellKey(period.kind, period.start, key, arena=arena, stage=stage), figure)
    return seen


def _report_cells(report: Any, scope: str, period: Period, project: int, funder: str) -> list[Seen]:
    seen = []
    base = CellKey(period.kind, period.start, "participants", project=project, funder=funder)
    for table, metric in (
        (report.arvs_participants, "participants"),
        (report.arvs_attendances, "attendances"),
    ):
        for row in [*table.rows, table.total]:
            age = ALL if row.key == "total" else row.key
            for column in table.metrics:
                gender = ALL if column == "all" else column
                cell = base._replace(metric=metric, age_band=age, gender=gender)
                seen.append(Seen(scope, cell, row.figures[column].text, _status(row.figures[column])))
    for row in [*report.lok.rows, report.lok.total]:
        cell = base._replace(metric="lok_attendances", gender=ALL if row.key == "total" else row.key)
        figure = row.figures["lok_attendances"]
        seen.append(Seen(scope, cell, figure.text, _status(figure)))
    for row in report.summary.rows:
        if METRICS[row.key].people and row.key != "participant_minutes":
            seen.append(
                Seen(
                    scope,
                    base._replace(metric=row.key),
                    row.figures["value"].text,
                    _status(row.figures["value"]),
                )
            )
    return seen


def _status(figure: Any) -> str:
    return str(getattr(figure, "status", "live"))


def _csv_tables(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return [row for row in rows if len(row) > 1]


def fetch_everything(moment: int) -> list[Seen]:
    """Everything the board can fetch now: the API for every period × municipality (or all) × age group,
    the CSV export of each (which must carry the same figures), and every funder report."""
    board = login("iv", Role.BOARD)
    with Municipality.objects.get(schema_name="iv"):
        token = api_token_create(user=demo_user("iv", Role.BOARD), name=f"attack {moment}").plaintext
    api = tenant_client("iv")
    page = board.get("/board/statistics/")
    periods = [key for key, _label in page.context["form"].fields["period"].choices]
    seen: list[Seen] = []
    for key in periods:
        period = _period_of(key)
        for scope in ("*", *SLUGS):
            # The empty municipalities' figures are all zero: their age groups add nothing.
            for age in AGES if scope in ("*", *ACTIVE) else ("",):
                params = {"period": key, "age": age}
                if scope != "*":
                    params["municipality"] = scope
                response = api.get("/api/v1/stats/", params, HTTP_AUTHORIZATION=f"Bearer {token}")
                assert response.status_code == 200, response.content
                answer = response.json()
                seen += _dashboard_cells(answer, scope, period, age)
                if age or scope not in ("*", "varnamo"):
                    continue
                # The export of the same selection carries exactly the API's figures.
                export = board.get("/board/statistics/export.csv", params)
                assert [row[1:] for row in _csv_tables(export.content)] == _api_matrix(answer)
    form = board.get("/board/reports/").context["form"]
    report_periods = [key for key, _label in form.fields["period"].choices]
    projects = [key for key, _label in form.fields["project"].choices if key]
    for key in report_periods:
        period = _period_of(key)
        for project in projects:
            slug, number = project.split(":")
            response = board.get("/board/reports/", {"period": key, "project": project})
            seen += _report_cells(response.context["report"], slug, period, int(number), ALL)
        response = board.get("/board/reports/", {"period": key, "funder": FunderKind.ARVSFONDEN})
        seen += _report_cells(response.context["report"], "*", period, 0, FunderKind.ARVSFONDEN)
    return seen


def _api_matrix(answer: dict[str, Any]) -> list[list[str]]:
    """The API's answer as the CSV export lays it out (headers and figures, without the first column)."""
    columns = answer["tables"][0]["columns"]
    matrix = [[c["label"] for c in columns], [answer["totals"][c["key"]]["text"] for c in columns]]
    for table in answer["tables"]:
        matrix.append([c["label"] for c in table["columns"]])
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
            matrix.append([row["figures"][c["key"]]["text"] for c in table["columns"]])
    return matrix


# --- What is true -----------------------------------------------------------------------------------------


def truth_now() -> dict[tuple[str, CellKey], int]:
    truth: dict[tuple[str, CellKey], int] = {}
    for slug in SLUGS:
        with Municipality.objects.get(schema_name=slug):
            for year in (_first_year(), _today().year):
                for cell, value in count_year(year).values.items():
                    truth[(slug, cell)] = value
                    truth[("*", cell)] = truth.get(("*", cell), 0) + value
    return truth


class _Undo(Exception):
    pass


def truth_if(change: Callable[[], None]) -> dict[tuple[str, CellKey], int]:
    """The truth in a world where ``change`` happened instead: made, counted and rolled back."""
    found: dict[tuple[str, CellKey], int] = {}
    try:
        with transaction.atomic():
            change()
            found = truth_now()
            raise _Undo
    except _Undo:
        pass
    return found


def recompute() -> None:
    for slug in SLUGS:
        tenant_recompute(tenant=Municipality.objects.get(schema_name=slug))


# --- The attack -------------------------------------------------------------------------------------------


def delta(
    after: dict[tuple[str, CellKey], int], before: dict[tuple[str, CellKey], int]
) -> dict[tuple[str, CellKey], int]:
    keys = set(after) | set(before)
    return {
        key: after.get(key, 0) - before.get(key, 0) for key in keys if after.get(key, 0) != before.get(key, 0)
    }


@dataclass
class Attack:
    moments: list[list[Seen]] = field(default_factory=list)
    truths: list[dict[tuple[str, CellKey], int]] = field(default_factory=list)

    def knowledge(self, deltas: list[dict[tuple[str, CellKey], int]]) -> Knowledge:
        k = Knowledge()
        cells: set[CellKey] = set()
        since: dict[tuple[str, CellKey], tuple[int, str, str]] = {}
        for moment, seen in enumerate(self.moments):
            for item in seen:
                cells.add(item.cell)
                if item.scope == "*" and attacker.truths_for is not None:
                    # Documented: the association's figures are its municipalities' published ones added
                    # up, so they say nothing the municipalities' own do not.
                    continue
                reading = attacker.reading(item.text)
                # A final figure that has not changed since it was first seen is the same release: what it
                # says, it says about the truth when it was released (live and preliminary ones: now).
                first = since.get((item.scope, item.cell))
                if item.status != "final" or first is None or first[1:] != (item.text, item.status):
                    first = since[(item.scope, item.cell)] = (moment, item.text, item.status)
                if reading is not None:
                    k.learn((first[0], item.scope, item.cell), reading)
        periods = {Period(c.period_kind, c.period) for c in cells}
        for moment in range(len(self.moments)):
            for scope in ("*", *SLUGS):
                attacker.table_relations(k, moment, scope, periods)
                attacker.time_relations(k, moment, scope, cells)
            attacker.sum_relations(k, moment, SLUGS, cells)
        projects = {
            (item.scope, item.cell.project) for seen in self.moments for item in seen if item.cell.project
        }
        for period in periods:
            if period.kind != PeriodKind.MONTH:
                for moment in range(len(self.moments)):
                    for scope in ("*", *SLUGS):
                        attacker.funder_relations(k, moment, scope, period, 0, FunderKind.ARVSFONDEN)
                    for scope, project in projects:
                        attacker.funder_relations(k, moment, scope, period, project, ALL)
        for step, change in enumerate(deltas):
            attacker.change_relations(k, step, step + 1, ("*", *SLUGS), change, cells)
        return k

    def truth(self) -> dict[Var, int]:
        return {
            (m, scope, cell): value
            for m, truth in enumerate(self.truths)
            for (scope, cell), value in truth.items()
        }


def test_the_board_cannot_pin_a_small_count_or_tell_who_changed(varnamo, vaggeryd) -> None:
    world = World()
    for seed, slug in enumerate(ACTIVE, start=190):
        with Municipality.objects.get(schema_name=slug):
            network(slug, seed, 40 if slug == "varnamo" else 24, world)
    recompute()
    attack = Attack()

    def look() -> None:
        attack.truths.append(truth_now())
        attack.moments.append(fetch_everything(len(attack.moments)))

    look()
    alternatives: list[list[dict[tuple[str, CellKey], int]]] = []

    # 1. A 65+ established woman walks in twice today, in Gislaved's place: Värnamo.
    def walk_in(gender: str, group: str, age: int) -> Callable[[], None]:
        def change() -> None:
            with varnamo:
                person = PersonFactory(
                    first_name="Attack walk-in", gender=gender, group=group, birth_year=_today().year - age
                )
                for session in world.today_sessions["varnamo"]:
                    AttendanceFactory(session=session, person=person)

        return change

    before = attack.truths[-1]
    alternatives.append(
        [
            delta(truth_if(walk_in(Gender.MAN, PersonGroup.NEWCOMER, 40)), before),
            delta(truth_if(walk_in(Gender.MAN, PersonGroup.ESTABLISHED, 70)), before),
        ]
    )
    walk_in(Gender.WOMAN, PersonGroup.ESTABLISHED, 70)()
    recompute()
    look()

    # 2. The 64-year-old is erased; had it been someone who never came, nothing would have changed.
    admin = demo_user("varnamo", Role.ADMIN)

    def erase(person_of: Callable[[], Person]) -> Callable[[], None]:
        def change() -> None:
            with varnamo:
                person_erase(actor=admin, person=person_of(), confirmation="RADERA")

        return change

    before = attack.truths[-1]
    alternatives.append([delta(truth_if(erase(lambda: world.homebody["varnamo"])), before)])
    erase(lambda: world.target["varnamo"])()
    recompute()
    look()
    # Ages count by birth year, which an erasure keeps: the board sees nothing at all change.
    assert [(i.scope, i.cell, i.text) for i in attack.moments[2]] == [
        (i.scope, i.cell, i.text) for i in attack.moments[1]
    ]

    # 3. A forgotten attendance at a session of a closed month, for a teenage newcomer boy.
    def forgotten(gender: str, group: str, age: int) -> Callable[[], None]:
        def change() -> None:
            with varnamo:
                person = PersonFactory(
                    first_name="Attack forgotten", gender=gender, group=group, birth_year=_today().year - age
                )
                AttendanceFactory(session=world.closed_session["varnamo"], person=person)

        return change

    before = attack.truths[-1]
    alternatives.append(
        [
            delta(truth_if(forgotten(Gender.WOMAN, PersonGroup.ESTABLISHED, 45)), before),
            delta(truth_if(forgotten(Gender.MAN, PersonGroup.NEWCOMER, 70)), before),
        ]
    )
    forgotten(Gender.MAN, PersonGroup.NEWCOMER, 15)()
    recompute()
    look()

    true_deltas = [delta(attack.truths[n + 1], attack.truths[n]) for n in range(len(attack.truths) - 1)]
    # The changes are real: the walk-in and the correction changed true counts, the correction in a
    # closed period, and the board saw plenty of small figures.
    closed_month = world.closed_session["varnamo"].starts_at
    assert any(
        cell.period_kind == PeriodKind.MONTH and cell.period.month == timezone.localtime(closed_month).month
        for _s, cell in true_deltas[2]
    )
    assert true_deltas[0] and true_deltas[2]
    knowledge = attack.knowledge(true_deltas)
    assert knowledge.propagate(), "the attacker's reading of the figures contradicts itself"
    truth = attack.truth()
    wrong = attacker.outside(knowledge, truth)
    assert not wrong, f"figures outside what is documented about them: {wrong[:5]}"
    seen_small = [
        var
        for var, value in truth.items()
        if 1 <= value <= 4 and var in knowledge.domains and knowledge.domains[var].hi < attacker.INFINITY
    ]
    assert len(seen_small) > 500, "the attacker must see many small figures for the test to mean anything"
    pinned = attacker.small_and_determined(knowledge, truth)
    told: list[str] = []
    for step, others in enumerate(alternatives):
        for number, other in enumerate(others):
            assumed = [*true_deltas]
            assumed[step] = other
            if other != true_deltas[step] and not attack.knowledge(assumed).propagate():
                told.append(f"change {step + 1} from alternative {number + 1}")
    assert not pinned and not told, (
        f"{len(pinned)} counts of 1–4 determined, e.g. {pinned[:3]}; told apart from another person's: {told}"
    )
