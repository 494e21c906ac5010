"""Attendance through the API: one request saves a session's marks through the attendance service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Attendance, AttendanceChange, Session
from people.models import Person
from tests.support.api_clients import Api, demo_api, token_for
from tests.support.factories import ActivityFactory, PersonFactory, RegistrationFactory, SessionFactory, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(volunteer: User) -> tuple[Session, list[Person]]:
    """Yesterday's session of an activity the demo volunteer leads, three people registered."""
    activity = ActivityFactory.create()
    activity.leaders.add(volunteer)
    people = PersonFactory.create_batch(3)
    for person in people:
        RegistrationFactory.create(activity=activity, person=person)
    return SessionFactory.create(activity=activity), people


def marks(people: list[Person], *statuses: str) -> list[dict[str, object]]:
    return [{"person": p.pk, "status": s} for p, s in zip(people, statuses, strict=True)]


def test_a_coordinator_saves_and_corrects_a_sheet(sheet: tuple[Session, list[Person]]) -> None:
    session, people = sheet
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/sessions/{session.pk}/attendance/"
    saved = api.post(path, marks(people, "present", "present", "absent"))
    assert saved.status_code == 200
    assert (saved.json()["created"], saved.json()["changed"]) == (3, 0)
    assert len(saved.json()["attendance"]) == 3
    corrected = api.post(path, marks(people[2:], "excused"))
    assert (corrected.json()["created"], corrected.json()["changed"]) == (0, 1)
    assert Attendance.objects.get(session=session, person=people[2]).status == "excused"
    assert AttendanceChange.objects.filter(attendance__session=session).count() == 1
    listed = api.get("/api/v1/attendance/", session=session.pk, status="present").json()
    assert listed["count"] == 2


def test_the_leading_volunteer_may_take_attendance_another_volunteer_may_not(
    sheet: tuple[Session, list[Person]],
) -> None:
    session, people = sheet
    path = f"/api/v1/sessions/{session.pk}/attendance/"
    assert demo_api(Role.VOLUNTEER).post(path, marks(people[:1], "present")).status_code == 200
    other = User.objects.create_user(email="annan@varnamo.demo", password="x" * 20, role=Role.VOLUNTEER)
    response = Api("varnamo", token_for(other)).post(path, marks(people[1:2], "present"))
    assert response.status_code == 404  # not their session: the same answer as a missing one
    assert not Attendance.objects.filter(person=people[1]).exists()


def test_bad_sheets_are_refused_and_nothing_is_written(sheet: tuple[Session, list[Person]]) -> None:
    session, people = sheet
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/sessions/{session.pk}/attendance/"
    bad_status = api.post(path, [{"person": people[0].pk, "status": "late"}])
    assert bad_status.status_code == 400
    assert bad_status.json()["error"]["code"] == "invalid"
    twice = api.post(path, [{"person": people[0].pk, "status": "present"}] * 2)
    assert twice.status_code == 409
    stranger = PersonFactory.create()
    not_on_sheet = api.post(
        path, [*marks(people[:1], "present"), {"person": stranger.pk, "status": "present"}]
    )
    assert not_on_sheet.status_code == 409
    assert not_on_sheet.json()["error"]["code"] == "conflict"
    assert not Attendance.objects.filter(session=session).exists()


def test_no_attendance_before_the_day_of_the_session(sheet: tuple[Session, list[Person]]) -> None:
    session, people = sheet
    later = SessionFactory.create(
        activity=session.activity,
        starts_at=local(timezone.localdate() + dt.timedelta(days=3)),
    )
    response = demo_api(Role.COORDINATOR).post(
        f"/api/v1/sessions/{later.pk}/attendance/", marks(people[:1], "present")
    )
    assert response.status_code == 409
    assert not Attendance.objects.filter(session=later).exists()
