"""Detail pages run the same number of queries with 5 or 60 people, sessions and changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Attendance, AttendanceChange, Registration, Session
from people.models import Person
from tests.support.factories import ActivityFactory, ProjectFactory, SessionFactory

pytestmark = pytest.mark.django_db


def statements(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET search_path"))


def grow(activity: Activity, session: Session, coordinator: User, count: int) -> None:
    people = Person.objects.bulk_create(Person(first_name=f"Q{i}", group="newcomer") for i in range(count))
    Registration.objects.bulk_create(
        Registration(activity=activity, person=p, status="registered") for p in people
    )
    Registration.objects.bulk_create(
        Registration(activity=activity, person=p, status="waitlisted")
        for p in Person.objects.bulk_create(
            Person(first_name=f"W{i}", group="newcomer") for i in range(count)
        )
    )
    marks = Attendance.objects.bulk_create(
        Attendance(session=session, person=p, status="absent") for p in people
    )
    AttendanceChange.objects.bulk_create(
        AttendanceChange(attendance=a, changed_by=coordinator, before="present", after="absent")
        for a in marks
    )
    for days in range(count):
        SessionFactory.create(
            activity=activity, starts_at=timezone.now() + dt.timedelta(days=days + 1, hours=1)
        )


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_activity_and_session_pages_do_not_grow_with_their_data(
    client_as: Callable[[Role], Client], coordinator: User, volunteer: User, role: Role
) -> None:
    client = client_as(role)
    activity = ActivityFactory.create()
    activity.leaders.add(volunteer)
    session = SessionFactory.create(activity=activity, starts_at=timezone.now() - dt.timedelta(hours=2))
    pages = [
        f"/staff/activities/{activity.pk}/",
        f"/staff/sessions/{session.pk}/",
        f"/staff/sessions/{session.pk}/attendance/",
    ]
    grow(activity, session, coordinator, 5)
    few = [statements(client, page) for page in pages]
    grow(activity, session, coordinator, 55)
    assert [statements(client, page) for page in pages] == few


def test_the_project_page_does_not_grow_with_its_activities_and_dates(
    client_as: Callable[[Role], Client],
) -> None:
    client = client_as(Role.COORDINATOR)
    project = ProjectFactory.create()
    few = statements(client, f"/staff/projects/{project.pk}/")
    project.activities.set(ActivityFactory.create_batch(30))
    for day in range(30):
        project.reporting_dates.create(
            due_on=dt.date(2027, 1, 1) + dt.timedelta(days=day), description=f"Rapport {day}"
        )
    assert statements(client, f"/staff/projects/{project.pk}/") == few


def test_the_project_list_does_not_grow_with_the_projects(client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.COORDINATOR)
    few = statements(client, "/staff/projects/")
    for project in ProjectFactory.create_batch(30):
        project.activities.set(ActivityFactory.create_batch(2))
    assert statements(client, "/staff/projects/") == few
