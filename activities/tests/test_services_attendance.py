"""Attendance sheets: one request for the whole sheet, corrections logged, walk-ins, the leader's own time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import (
    Attendance,
    AttendanceChange,
    Registration,
    Session,
    SessionStatus,
    VolunteerHours,
)
from activities.services.attendance import WalkIn, attendance_sheet_save, volunteer_hours_log, walk_in_add
from core.errors import CoreError
from people.models import Person
from tests.support.factories import ActivityFactory, AttendanceFactory, PersonFactory, SessionFactory

pytestmark = pytest.mark.django_db


def session_with(
    count: int, *, leader: User | None = None, **session_fields: Any
) -> tuple[Session, list[Person]]:
    """A session started an hour ago whose activity has ``count`` registered people."""
    activity = ActivityFactory.create()
    if leader is not None:
        activity.leaders.add(leader)
    people = Person.objects.bulk_create(
        Person(first_name=f"Deltagare{i:03}", group="newcomer", birth_year=2010) for i in range(count)
    )
    Registration.objects.bulk_create(
        Registration(activity=activity, person=p, status="registered") for p in people
    )
    fields = {"starts_at": timezone.now() - dt.timedelta(hours=1), **session_fields}
    return SessionFactory.create(activity=activity, **fields), people


def save_queries(actor: User, session: Session, marks: dict[int, str], **extra: Any) -> int:
    """Statements run by one save, leaving out django-tenants' ``SET search_path`` before each of them."""
    with CaptureQueriesContext(connection) as queries:
        attendance_sheet_save(actor=actor, session=session, marks=marks, **extra)
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith("SET search_path"))


def test_a_sheet_of_200_takes_as_many_queries_as_a_sheet_of_10(volunteer: User) -> None:
    small, small_people = session_with(10, leader=volunteer)
    large, large_people = session_with(200, leader=volunteer)
    walk_in = WalkIn(first_name="Ny", birth_year=2012)

    def marks(people: list[Person]) -> dict[int, str]:
        return {p.pk: ("present", "excused", "absent")[i % 3] for i, p in enumerate(people)}

    first_small = save_queries(volunteer, small, marks(small_people), walk_in=walk_in, minutes=90)
    first_large = save_queries(volunteer, large, marks(large_people), walk_in=walk_in, minutes=90)
    assert first_small == first_large
    assert Attendance.objects.filter(session=large).count() == 201

    # Correcting every mark: one bulk update and one insert of the change log, whatever the size.
    def shifted(people: list[Person]) -> dict[int, str]:
        return {p.pk: ("excused", "absent", "present")[i % 3] for i, p in enumerate(people)}

    correct_small = save_queries(volunteer, small, shifted(small_people))
    correct_large = save_queries(volunteer, large, shifted(large_people))
    # savepoint, lock, leader check, sheet, existing marks, bulk update, change log, release
    assert correct_small == correct_large == 8
    assert AttendanceChange.objects.filter(attendance__session=large).count() == 200


def test_corrections_are_logged_with_who_before_and_after(coordinator: User, volunteer: User) -> None:
    session, (amina, dawit, olena) = session_with(3, leader=volunteer)
    attendance_sheet_save(actor=volunteer, session=session, marks={amina.pk: "present", dawit.pk: "absent"})
    assert not AttendanceChange.objects.filter(
        attendance__session=session
    ).exists()  # first marks are not corrections

    result = attendance_sheet_save(
        actor=coordinator,
        session=session,
        marks={amina.pk: "present", dawit.pk: "excused", olena.pk: "present"},
    )
    assert (result.created, result.changed) == (1, 1)
    change = AttendanceChange.objects.get(attendance__session=session)
    assert (change.attendance.person, change.before, change.after, change.changed_by) == (
        dawit,
        "absent",
        "excused",
        coordinator,
    )
    assert change.changed_at <= timezone.now()
    marked = Attendance.objects.get(session=session, person=dawit)
    assert (marked.status, marked.recorded_by) == ("excused", coordinator)


def test_rows_left_blank_become_absent_when_asked(volunteer: User) -> None:
    session, (came, stayed_home, corrected_before) = session_with(3, leader=volunteer)
    AttendanceFactory.create(session=session, person=corrected_before, status="excused")
    attendance_sheet_save(actor=volunteer, session=session, marks={came.pk: "present"}, rest_absent=True)
    marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))
    # An earlier mark is not overwritten by "the rest are absent".
    assert marks == {came.pk: "present", stayed_home.pk: "absent", corrected_before.pk: "excused"}


def test_a_walk_in_is_created_and_marked_present(volunteer: User) -> None:
    session, _ = session_with(0, leader=volunteer)
    person = walk_in_add(
        actor=volunteer,
        session=session,
        walk_in=WalkIn(first_name=" Liban ", birth_year=2011, gender="man", group="newcomer"),
    )
    assert (person.first_name, person.birth_year, person.gender, person.created_by) == (
        "Liban",
        2011,
        "man",
        volunteer,
    )
    attendance = Attendance.objects.get(session=session, person=person)
    assert (attendance.status, attendance.is_walk_in) == ("present", True)


@pytest.mark.parametrize(
    ("walk_in", "field"),
    [
        (WalkIn(first_name="  ", birth_year=2011), "walk_in_first_name"),
        (WalkIn(first_name="Liban", birth_year=1850), "walk_in_birth_year"),
        (WalkIn(first_name="Liban", birth_year=2999), "walk_in_birth_year"),
        (WalkIn(first_name="Liban", birth_year=2011, gender="x"), "walk_in_gender"),
        (WalkIn(first_name="Liban", birth_year=2011, group="x"), "walk_in_group"),
    ],
)
def test_a_bad_walk_in_writes_nothing_not_even_the_marks(
    volunteer: User, walk_in: WalkIn, field: str
) -> None:
    session, (person,) = session_with(1, leader=volunteer)
    people_before = Person.objects.count()
    with pytest.raises(CoreError) as error:
        attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "present"}, walk_in=walk_in)
    assert error.value.field == field
    assert Person.objects.count() == people_before
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize("minutes", [0, -30, 24 * 60 + 1])
def test_hours_outside_a_day_are_refused(volunteer: User, minutes: int) -> None:
    session, (person,) = session_with(1, leader=volunteer)
    with pytest.raises(CoreError, match="1 till 1440"):
        attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "present"}, minutes=minutes)
    assert not VolunteerHours.objects.filter(session=session).exists()
    assert not Attendance.objects.filter(session=session).exists()


def test_logging_hours_again_replaces_the_figure(volunteer: User) -> None:
    session, _ = session_with(0, leader=volunteer)
    volunteer_hours_log(actor=volunteer, session=session, minutes=90)
    hours = volunteer_hours_log(actor=volunteer, session=session, minutes=24 * 60)
    assert VolunteerHours.objects.filter(session=session).count() == 1
    assert (hours.minutes, hours.user, hours.activity_id, hours.date) == (
        1440,
        volunteer,
        session.activity_id,
        timezone.localdate(session.starts_at),
    )


def test_a_volunteer_cannot_mark_a_session_they_do_not_lead(volunteer: User) -> None:
    session, (person,) = session_with(1)
    with pytest.raises(CoreError, match="Bara tillfällets ledare"):
        attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "present"})
    with pytest.raises(CoreError):
        volunteer_hours_log(actor=volunteer, session=session, minutes=60)
    assert not Attendance.objects.filter(session=session).exists()


def test_a_volunteer_never_marks_a_person_with_protected_identity(volunteer: User) -> None:
    session, (person,) = session_with(1, leader=volunteer)
    Person.objects.filter(pk=person.pk).update(protected_identity=True)
    with pytest.raises(CoreError, match="inte anmäld"):
        attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "present"})


def test_someone_not_on_the_sheet_is_refused(volunteer: User) -> None:
    session, (person,) = session_with(1, leader=volunteer)
    stranger = PersonFactory.create()
    with pytest.raises(CoreError, match="inte anmäld"):
        attendance_sheet_save(
            actor=volunteer, session=session, marks={person.pk: "present", stranger.pk: "present"}
        )
    assert not Attendance.objects.filter(session=session).exists()


def test_an_unknown_status_is_refused(volunteer: User) -> None:
    session, (person,) = session_with(1, leader=volunteer)
    with pytest.raises(CoreError, match="Välj närvarande"):
        attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "maybe"})


def test_no_attendance_for_cancelled_or_future_sessions(volunteer: User) -> None:
    cancelled, (person,) = session_with(1, leader=volunteer, status=SessionStatus.CANCELLED)
    with pytest.raises(CoreError, match="inställt"):
        attendance_sheet_save(actor=volunteer, session=cancelled, marks={person.pk: "present"})
    future, (person,) = session_with(1, leader=volunteer, starts_at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(CoreError, match="från och med dagen"):
        attendance_sheet_save(actor=volunteer, session=future, marks={person.pk: "present"})


def test_a_leader_may_mark_later_today(volunteer: User) -> None:
    tonight = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(23, 59)))
    session, (person,) = session_with(1, leader=volunteer, starts_at=tonight - dt.timedelta(minutes=1))
    attendance_sheet_save(actor=volunteer, session=session, marks={person.pk: "excused"})
    assert Attendance.objects.get(session=session).status == "excused"
