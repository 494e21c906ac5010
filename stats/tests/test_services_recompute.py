"""The rollup equals a direct count on the municipality's own tables, after any sequence of changes."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from accounts.models import User
from activities.choices import AttendanceStatus, SessionStatus
from activities.models import Attendance, Project, Session, VolunteerHours
from activities.tests.factories import AttendanceFactory, SessionFactory, local
from people.choices import Gender, PersonGroup
from people.models import Person
from people.tests.factories import PersonFactory
from stats.dimensions import ALL
from stats.models import ProjectRef, RollupCell
from stats.services import StatsError, tenant_month_changed, tenant_recompute, tenant_year_recompute
from stats.tests.scenario import network_build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("varnamo_without_demo_data")]
ZONE = ZoneInfo("Europe/Stockholm")


def _rollup(tenant, metric: str, kind: str, **dims) -> dict[dt.date, int]:
    fixed = {
        "gender": ALL,
        "age_band": ALL,
        "person_group": ALL,
        "category": ALL,
        "arena": ALL,
        "funder": ALL,
        "project": 0,
        "stage": ALL,
    }
    fixed.update(dims)
    return dict(
        RollupCell.objects.filter(tenant=tenant, metric=metric, period_kind=kind, **fixed).values_list(
            "period", "value"
        )
    )


def _direct_counts() -> dict[str, dict]:
    """Counted straight from the tenant's tables, independently of stats.metrics."""
    now = dt.datetime.now(tz=ZONE)
    held = Session.objects.filter(~Q(status=SessionStatus.CANCELLED), starts_at__lte=now)
    present = Attendance.objects.filter(status=AttendanceStatus.PRESENT, session__in=held).select_related(
        "session__activity", "person"
    )
    months_people: dict[dt.date, set[int]] = defaultdict(set)
    months_attendances: Counter[dt.date] = Counter()
    year_gender: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
    year_category: dict[tuple[dt.date, str], set[int]] = defaultdict(set)
    year_households: dict[dt.date, set[object]] = defaultdict(set)
    year_project: dict[tuple[dt.date, int], set[int]] = defaultdict(set)
    first_seen: dict[int, dt.datetime] = {}
    for row in present:
        day = row.session.starts_at.astimezone(ZONE).date()
        month, year = day.replace(day=1), dt.date(day.year, 1, 1)
        months_people[month].add(row.person_id)
        months_attendances[month] += 1
        year_gender[(year, row.person.gender)].add(row.person_id)
        year_category[(year, row.session.activity.category)].add(row.person_id)
        year_households[year].add(row.person.household_id or f"p{row.person_id}")
        for project in row.session.activity.projects.all():
            if project.starts_on <= day <= project.ends_on:
                year_project[(year, project.pk)].add(row.person_id)
        if row.person_id not in first_seen or row.session.starts_at < first_seen[row.person_id]:
            first_seen[row.person_id] = row.session.starts_at
    new: Counter[dt.date] = Counter(
        dt.date(moment.astimezone(ZONE).year, 1, 1) for moment in first_seen.values()
    )
    sessions: Counter[dt.date] = Counter(s.starts_at.astimezone(ZONE).date().replace(day=1) for s in held)
    minutes: Counter[dt.date] = Counter()
    for hours in VolunteerHours.objects.all():
        minutes[hours.date.replace(day=1)] += hours.minutes
    registered: Counter[dt.date] = Counter(
        dt.date(p.created_at.astimezone(ZONE).year, 1, 1) for p in Person.objects.all()
    )
    return {
        "participants_month": {k: len(v) for k, v in months_people.items()},
        "attendances_month": dict(months_attendances),
        "gender_year": {k: len(v) for k, v in year_gender.items()},
        "category_year": {k: len(v) for k, v in year_category.items()},
        "households_year": {k: len(v) for k, v in year_households.items()},
        "project_year": {k: len(v) for k, v in year_project.items()},
        "new_year": dict(new),
        "sessions_month": dict(sessions),
        "minutes_month": dict(minutes),
        "registered_year": dict(registered),
    }


def _assert_rollup_matches(tenant) -> None:
    with tenant:
        direct = _direct_counts()
    assert _rollup(tenant, "participants", "M") == direct["participants_month"]
    assert _rollup(tenant, "attendances", "M") == direct["attendances_month"]
    assert _rollup(tenant, "sessions_held", "M") == direct["sessions_month"]
    assert _rollup(tenant, "volunteer_minutes", "M") == direct["minutes_month"]
    assert _rollup(tenant, "households", "Y") == direct["households_year"]
    assert _rollup(tenant, "new_participants", "Y") == direct["new_year"]
    assert _rollup(tenant, "registered", "Y") == direct["registered_year"]
    for (year, gender), count in direct["gender_year"].items():
        assert _rollup(tenant, "participants", "Y", gender=gender)[year] == count
    gender_rows = RollupCell.objects.filter(
        tenant=tenant, metric="participants", period_kind="Y", age_band=ALL, project=0, funder=ALL
    ).exclude(gender=ALL)
    assert gender_rows.count() == len(direct["gender_year"])
    for (year, category), count in direct["category_year"].items():
        assert _rollup(tenant, "participants", "Y", category=category)[year] == count
    for (year, project), count in direct["project_year"].items():
        assert _rollup(tenant, "participants", "Y", project=project)[year] == count


def test_recompute_equals_a_direct_count(varnamo) -> None:
    with varnamo:
        network_build(seed=3, people=30, sessions=25, year=2025)
    tenant_recompute(tenant=varnamo)
    _assert_rollup_matches(varnamo)
    assert ProjectRef.objects.filter(tenant=varnamo).count() == 1


@pytest.mark.slow
def test_rollup_stays_true_through_a_random_sequence_of_changes(
    varnamo, django_capture_on_commit_callbacks
) -> None:
    """Each change calls the after-commit hook as core services will; the task recomputes inline."""
    rng = random.Random(20260415)
    with varnamo:
        network = network_build(seed=11, people=18, sessions=14, year=2025)
        leader = User.objects.get(email="volunteer@varnamo.demo")
    tenant_recompute(tenant=varnamo)
    people, sessions = network.people, network.sessions

    def change() -> dt.date | None:
        choice = rng.randrange(9)
        session = rng.choice(sessions)
        day = session.starts_at.astimezone(ZONE).date()
        person = rng.choice(people)
        if choice == 0:
            Attendance.objects.update_or_create(
                session=session, person=person, defaults={"status": rng.choice(AttendanceStatus.values)}
            )
        elif choice == 1:
            Attendance.objects.filter(session=session).order_by("?").first() and Attendance.objects.filter(
                pk=Attendance.objects.filter(session=session).order_by("id").values("id")[:1]
            ).delete()
        elif choice == 2:
            session.status = (
                SessionStatus.CANCELLED
                if session.status != SessionStatus.CANCELLED
                else SessionStatus.SCHEDULED
            )
            session.save()
        elif choice == 3:
            moved = day + dt.timedelta(days=rng.choice([-40, -10, 25, 60, 200]))
            session.starts_at = local(moved, 13)
            session.ends_at = session.starts_at + dt.timedelta(minutes=75)
            session.save()
            return min(day, moved)
        elif choice == 4:
            person.gender = rng.choice(Gender.values)
            person.group = rng.choice(PersonGroup.values)
            person.birth_year = rng.choice([None, 1950, 2012, 2001])
            person.save()
            return None
        elif choice == 5:
            people.append(PersonFactory(first_name=f"Ny {len(people)}", gender=rng.choice(Gender.values)))
            return None
        elif choice == 6:
            VolunteerHours.objects.create(
                user=leader, activity=session.activity, date=day, minutes=rng.choice([30, 45, 120])
            )
        elif choice == 7:
            project = Project.objects.first()
            project.activities.add(session.activity)
            return None
        else:
            new = SessionFactory(
                activity=session.activity, starts_at=local(day + dt.timedelta(days=rng.randint(1, 30)), 8)
            )
            sessions.append(new)
            AttendanceFactory(session=new, person=person)
            day = new.starts_at.astimezone(ZONE).date()
        return day

    with varnamo:
        for _step in range(24):
            with django_capture_on_commit_callbacks(execute=True):
                tenant_month_changed(day=change())
    connection.set_schema_to_public()
    _assert_rollup_matches(varnamo)


def test_calls_in_one_transaction_queue_one_recompute(varnamo, django_capture_on_commit_callbacks) -> None:
    with varnamo, django_capture_on_commit_callbacks() as callbacks:
        tenant_month_changed(day=dt.date(2025, 5, 1))
        tenant_month_changed(day=dt.date(2024, 3, 1))
        tenant_month_changed(day=dt.date(2026, 1, 1))
    assert len(callbacks) == 1


def test_a_change_outside_a_municipality_queues_nothing(
    association, django_capture_on_commit_callbacks
) -> None:
    with association, django_capture_on_commit_callbacks() as callbacks:
        tenant_month_changed(day=dt.date(2025, 5, 1))
    assert callbacks == []


def test_recompute_is_idempotent_and_replaces_old_rows(varnamo) -> None:
    with varnamo:
        network_build(seed=5, people=20, sessions=10)
    first = tenant_year_recompute(tenant=varnamo, year=2025)
    again = tenant_year_recompute(tenant=varnamo, year=2025)
    assert first == again == RollupCell.objects.filter(tenant=varnamo).count()
    with varnamo:
        Attendance.objects.all().delete()
    tenant_year_recompute(tenant=varnamo, year=2025)
    assert not RollupCell.objects.filter(tenant=varnamo, metric="attendances").exists()


def test_the_association_has_no_statistics_of_its_own(association) -> None:
    with pytest.raises(StatsError):
        tenant_year_recompute(tenant=association, year=2025)


def test_command_recomputes_one_tenant_with_progress(varnamo, capsys) -> None:
    with varnamo:
        network_build(seed=9, people=12, sessions=8)
    call_command("stats_recompute", "--tenant", "varnamo")
    out = capsys.readouterr().out
    assert "1/1 varnamo" in out and "[" in out
    assert RollupCell.objects.filter(tenant=varnamo, metric="attendances").exists()


def test_command_refuses_an_unknown_tenant() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("stats_recompute", "--tenant", "nowhere")


def test_nightly_recompute_runs_every_ready_municipality(varnamo, vaggeryd) -> None:
    from stats.tasks import stats_nightly_recompute
    from tenants.models import TenantStatus

    vaggeryd.status = TenantStatus.PROVISIONING
    vaggeryd.save()
    with varnamo:
        network_build(seed=13, people=10, sessions=6)
    with vaggeryd:
        network_build(seed=14, people=10, sessions=6)
    queued = stats_nightly_recompute.apply().get()
    assert queued == 3  # Värnamo, Gislaved, Växjö; Vaggeryd is not ready
    assert RollupCell.objects.filter(tenant=varnamo).exists()
    assert not RollupCell.objects.filter(tenant=vaggeryd).exists()


def test_beat_schedules_the_nightly_recompute() -> None:
    from django.conf import settings

    assert (
        settings.CELERY_BEAT_SCHEDULE["stats-nightly-recompute"]["task"]
        == "stats.tasks.stats_nightly_recompute"
    )
