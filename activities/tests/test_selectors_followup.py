"""Follow-up lists: absent three times in a row, quiet for 60 days, activities with few participants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import Registration
from activities.selectors.followup import absent_in_a_row, activities_with_few_participants, quiet_people
from people.models import Person
from tests.support.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def statements(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET search_path"))


def weekly_sessions(activity: object, count: int) -> list[object]:
    now = timezone.now()
    return [
        SessionFactory.create(activity=activity, starts_at=now - dt.timedelta(weeks=count - i))
        for i in range(count)
    ]


def test_absent_at_the_last_three_marked_sessions(coordinator: User, volunteer: User) -> None:
    activity = ActivityFactory.create(title="Läxhjälp test")
    activity.leaders.add(volunteer)
    sessions = weekly_sessions(activity, 4)
    gone = RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(first_name="Borta")
    ).person
    back = RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(first_name="Tillbaka")
    ).person
    hidden = RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(first_name="Skyddad", protected_identity=True)
    ).person
    left = RegistrationFactory.create(activity=activity, status="cancelled").person
    for session in sessions:
        for person in (gone, hidden, left):
            AttendanceFactory.create(session=session, person=person, status="absent")
        AttendanceFactory.create(
            session=session, person=back, status="present" if session is sessions[-1] else "absent"
        )
    SessionFactory.create(
        activity=activity, starts_at=timezone.now() - dt.timedelta(days=1)
    )  # not marked: does not count

    mine = [r for r in absent_in_a_row(actor=coordinator, now=timezone.now()) if r.activity_id == activity.pk]
    assert [r.person.first_name for r in mine] == ["Borta", "Skyddad"]
    theirs = [r for r in absent_in_a_row(actor=volunteer, now=timezone.now()) if r.activity_id == activity.pk]
    assert [r.person.first_name for r in theirs] == ["Borta"]


def test_two_marked_sessions_are_not_yet_three_in_a_row(coordinator: User) -> None:
    activity = ActivityFactory.create()
    person = RegistrationFactory.create(activity=activity).person
    for session in weekly_sessions(activity, 2):
        AttendanceFactory.create(session=session, person=person, status="absent")
    assert not [
        r for r in absent_in_a_row(actor=coordinator, now=timezone.now()) if r.activity_id == activity.pk
    ]


def test_quiet_people_came_before_or_registered_long_ago_and_never_came(coordinator: User) -> None:
    now = timezone.now()
    activity = ActivityFactory.create()
    lapsed = AttendanceFactory.create(
        session=SessionFactory.create(activity=activity, starts_at=now - dt.timedelta(days=70))
    ).person
    recent = AttendanceFactory.create(
        session=SessionFactory.create(activity=activity, starts_at=now - dt.timedelta(days=10))
    ).person
    AttendanceFactory.create(
        session=SessionFactory.create(activity=activity, starts_at=now - dt.timedelta(days=90)), person=recent
    )
    never = RegistrationFactory.create(activity=activity).person
    Registration.objects.filter(person=never).update(created_at=now - dt.timedelta(days=90))
    newly_registered = RegistrationFactory.create(activity=activity).person
    ours = {lapsed.pk, recent.pk, never.pk, newly_registered.pk}
    quiet = quiet_people(actor=coordinator, now=now)
    listed = {p.pk: p.last_present for p in quiet if p.pk in ours}  # type: ignore[attr-defined]  # annotated by quiet_people
    assert set(listed) == {lapsed.pk, never.pk}
    assert listed[never.pk] is None


def test_activities_averaging_below_three_present(coordinator: User) -> None:
    small, busy = ActivityFactory.create(title="Liten"), ActivityFactory.create(title="Stor")
    for activity, present in ((small, 2), (busy, 3)):
        for session in weekly_sessions(activity, 6):
            for person in PersonFactory.create_batch(present):
                AttendanceFactory.create(session=session, person=person)
            AttendanceFactory.create(session=session, status="absent")
    listed = {
        item.activity.title: item
        for item in activities_with_few_participants(actor=coordinator, now=timezone.now())
    }
    assert "Stor" not in listed
    assert (listed["Liten"].average, listed["Liten"].sessions) == (2.0, 5)


def test_follow_up_lists_take_a_fixed_number_of_queries(coordinator: User) -> None:
    now = timezone.now()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            absent_in_a_row(actor=coordinator, now=now)
            list(quiet_people(actor=coordinator, now=now)[:50])
            activities_with_few_participants(actor=coordinator, now=now)
        return statements(queries)

    def absent_group(size: int) -> None:
        activity = ActivityFactory.create()
        people = Person.objects.bulk_create(Person(first_name=f"F{i}", group="newcomer") for i in range(size))
        Registration.objects.bulk_create(
            Registration(activity=activity, person=p, status="registered") for p in people
        )
        for session in weekly_sessions(activity, 3):
            for person in people:
                AttendanceFactory.create(session=session, person=person, status="absent")

    absent_group(2)
    few = count()
    absent_group(40)
    absent_group(5)
    assert count() == few == 6
