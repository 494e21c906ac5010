"""Who sees what: volunteers see their own activities and the people in them, never protected identity;
lists run a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.models import Activity, Registration
from activities.selectors.activities import (
    activities_for_user,
    activity_list,
    attendance_sheet,
    get_activity_for_user,
    get_session_for_user,
    people_search,
    people_visible_to,
    session_people_to_phone,
)
from activities.services.activities import session_cancel
from people.models import Person
from tests.support.factories import (
    ActivityFactory,
    AttendanceFactory,
    ConsentFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def statements(queries: CaptureQueriesContext) -> int:
    """Queries run, leaving out django-tenants' ``SET search_path`` before each of them."""
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith("SET search_path"))


@pytest.fixture
def world(volunteer: User) -> dict[str, object]:
    led = ActivityFactory.create(title="Ledd")
    led.leaders.add(volunteer)
    other = ActivityFactory.create(title="Annan")
    registered = RegistrationFactory.create(activity=led).person
    protected = RegistrationFactory.create(
        activity=led, person=PersonFactory.create(protected_identity=True)
    ).person
    walk_in = AttendanceFactory.create(session=SessionFactory.create(activity=led), is_walk_in=True).person
    cancelled = RegistrationFactory.create(activity=led, status="cancelled").person
    elsewhere = RegistrationFactory.create(activity=other).person
    return locals()


def test_a_volunteer_sees_only_the_activities_they_lead(volunteer: User, world: dict[str, object]) -> None:
    mine = set(activities_for_user(actor=volunteer))
    assert world["led"] in mine
    assert world["other"] not in mine
    assert mine == set(Activity.objects.filter(leaders=volunteer))
    with pytest.raises(Http404):
        get_activity_for_user(actor=volunteer, pk=world["other"].pk)  # type: ignore[attr-defined]
    with pytest.raises(Http404):
        get_session_for_user(actor=volunteer, pk=SessionFactory.create(activity=world["other"]).pk)


def test_a_volunteer_sees_the_people_in_their_activities_but_never_protected_identity(
    volunteer: User, world: dict[str, object]
) -> None:
    visible = set(people_visible_to(actor=volunteer))
    assert {world["registered"], world["walk_in"]} <= visible
    assert world["protected"] not in visible
    assert world["cancelled"] not in visible
    assert world["elsewhere"] not in visible


def test_coordinators_see_everyone_and_others_no_one(coordinator: User, world: dict[str, object]) -> None:
    assert set(people_visible_to(actor=coordinator)) == set(Person.objects.all())
    board = User.objects.create_user("board@varnamo.test", role="board")
    assert not people_visible_to(actor=board).exists()
    assert not people_visible_to(actor=AnonymousUser()).exists()  # type: ignore[arg-type]
    assert not activities_for_user(actor=board).exists()


def test_the_volunteers_attendance_sheet_leaves_out_protected_identity(
    volunteer: User, coordinator: User, world: dict[str, object]
) -> None:
    session = SessionFactory.create(activity=world["led"])
    volunteer_rows = {row.person for row in attendance_sheet(actor=volunteer, session=session)}
    coordinator_rows = {row.person for row in attendance_sheet(actor=coordinator, session=session)}
    assert volunteer_rows == {world["registered"]}
    assert coordinator_rows == {world["registered"], world["protected"]}


def test_people_search_finds_by_name_and_leaves_out_those_already_registered(
    coordinator: User, volunteer: User
) -> None:
    activity = ActivityFactory.create()
    amina = PersonFactory.create(first_name="Amina", last_name="Warsame", phone="070-123 45 67")
    registered = PersonFactory.create(first_name="Amina", last_name="Abdi")
    RegistrationFactory.create(activity=activity, person=registered)
    assert people_search(actor=coordinator, search="amina wars", exclude_activity=activity) == [amina]
    assert people_search(actor=coordinator, search="123 45", exclude_activity=activity) == [amina]
    assert people_search(actor=coordinator, search="", exclude_activity=activity) == []
    assert people_search(actor=volunteer, search="Amina") == []


def test_the_activity_list_is_one_query_however_many_activities(coordinator: User) -> None:
    with CaptureQueriesContext(connection) as few:
        list(activity_list(actor=coordinator))
    for _ in range(30):
        activity = ActivityFactory.create()
        SessionFactory.create(activity=activity, starts_at=timezone.now() + dt.timedelta(days=3))
        Registration.objects.bulk_create(
            Registration(activity=activity, person=p, status="registered")
            for p in PersonFactory.create_batch(3)
        )
    with CaptureQueriesContext(connection) as many:
        rows = list(activity_list(actor=coordinator))
    assert statements(few) == statements(many) == 1
    # registered_count and next_session_at are annotated by activity_list.
    assert all(row.registered_count == 3 for row in rows if row.title.startswith("Testaktivitet"))  # type: ignore[attr-defined]
    assert all(row.next_session_at is not None for row in rows if row.title.startswith("Testaktivitet"))  # type: ignore[attr-defined]


def test_the_attendance_sheet_takes_two_queries_whatever_its_size(volunteer: User) -> None:
    def sheet_queries(count: int) -> int:
        activity = ActivityFactory.create()
        activity.leaders.add(volunteer)
        people = Person.objects.bulk_create(
            Person(first_name=f"P{i}", group="newcomer") for i in range(count)
        )
        Registration.objects.bulk_create(
            Registration(activity=activity, person=p, status="registered") for p in people
        )
        session = SessionFactory.create(activity=activity)
        AttendanceFactory.create(session=session, person=people[0])
        with CaptureQueriesContext(connection) as queries:
            rows = attendance_sheet(actor=volunteer, session=session)
        assert len(rows) == count
        return statements(queries)

    assert sheet_queries(10) == sheet_queries(200) == 2


def test_after_a_cancellation_the_coordinator_sees_whom_to_phone(coordinator: User, volunteer: User) -> None:
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=2))
    by_mail = PersonFactory.create(email="a@example.com")
    ConsentFactory.create(person=by_mail)
    by_phone = PersonFactory.create(phone="070-000 00 00")
    for person in (by_mail, by_phone):
        RegistrationFactory.create(activity=session.activity, person=person)
    assert session_people_to_phone(actor=coordinator, session=session) == []  # nothing changed yet
    session_cancel(actor=coordinator, session=session, reason="Stängt")
    session.refresh_from_db()
    assert session_people_to_phone(actor=coordinator, session=session) == [by_phone]
    assert session_people_to_phone(actor=volunteer, session=session) == []
