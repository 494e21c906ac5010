"""Sessions and the attendance sheet as a leader uses them on a phone, and cancelling or moving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypedDict

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Attendance, AttendanceChange, Registration, Session, VolunteerHours
from people.models import Person
from tests.support.factories import (
    ActivityFactory,
    ConsentFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


class Sheet(TypedDict):
    activity: Activity
    session: Session
    amina: Person
    dawit: Person
    hidden: Person


@pytest.fixture
def sheet(volunteer: User) -> Sheet:
    """A session an hour ago of an activity the volunteer leads, with three registered (one protected)."""
    activity = ActivityFactory.create(title="Fotboll test")
    activity.leaders.add(volunteer)
    people = [PersonFactory.create(first_name=name) for name in ("Amina", "Dawit")]
    hidden = PersonFactory.create(first_name="Skyddad", protected_identity=True)
    for person in [*people, hidden]:
        RegistrationFactory.create(activity=activity, person=person)
    session = SessionFactory.create(activity=activity, starts_at=timezone.now() - dt.timedelta(hours=1))
    return {
        "activity": activity,
        "session": session,
        "amina": people[0],
        "dawit": people[1],
        "hidden": hidden,
    }


def test_the_sheet_shows_three_choices_per_person_and_no_protected_identity(
    client_as: Callable[[Role], Client], sheet: Sheet
) -> None:
    session = sheet["session"]
    page = client_as(Role.VOLUNTEER).get(f"/staff/sessions/{session.pk}/attendance/").content.decode()
    amina = sheet["amina"].pk
    for status in ("present", "excused", "absent"):
        assert f'name="mark-{amina}" value="{status}"' in page
    assert page.count('type="radio"') >= 6
    assert "Skyddad" not in page
    assert "<script" in page
    assert "attendance.js" in page
    assert "onclick" not in page
    assert "style=" not in page


def test_one_post_saves_marks_a_walk_in_and_the_leaders_time(
    client_as: Callable[[Role], Client], sheet: Sheet, volunteer: User
) -> None:
    session, amina = sheet["session"], sheet["amina"]
    client = client_as(Role.VOLUNTEER)
    response = client.post(
        f"/staff/sessions/{session.pk}/attendance/",
        {
            f"mark-{amina.pk}": "present",
            "rest_absent": "on",
            "walk_in_first_name": "Liban",
            "walk_in_birth_year": "2012",
            "walk_in_gender": "man",
            "walk_in_group": "newcomer",
            "minutes": "90",
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sessions/{session.pk}/"
    marks = {
        a.person.first_name: (a.status, a.is_walk_in)
        for a in Attendance.objects.filter(session=session).select_related("person")
    }
    # The protected person is not on the volunteer's sheet, so "the rest are absent" does not touch them.
    assert marks == {"Amina": ("present", False), "Dawit": ("absent", False), "Liban": ("present", True)}
    assert VolunteerHours.objects.get(session=session).minutes == 90
    assert VolunteerHours.objects.get(session=session).user == volunteer
    page = client.get(response["Location"]).content.decode()
    assert "Närvaron sparades. Liban lades till som drop-in. Din tid: 90 minuter." in page


def test_adding_a_walk_in_midway_keeps_unticked_rows_blank(
    client_as: Callable[[Role], Client], sheet: Sheet
) -> None:
    session, amina = sheet["session"], sheet["amina"]
    response = client_as(Role.VOLUNTEER).post(
        f"/staff/sessions/{session.pk}/attendance/",
        {
            f"mark-{amina.pk}": "present",
            "rest_absent": "on",
            "walk_in_first_name": "Hodan",
            "walk_in_gender": "woman",
            "walk_in_group": "newcomer",
            "action": "walk_in",
        },
    )
    assert response["Location"] == f"/staff/sessions/{session.pk}/attendance/"
    assert set(Attendance.objects.filter(session=session).values_list("person__first_name", flat=True)) == {
        "Amina",
        "Hodan",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"minutes": "2000"}, "Ange din tid i minuter, från 1 till 1440 (ett dygn)."),
        ({"minutes": "-5"}, "Ange din tid i minuter, från 1 till 1440 (ett dygn)."),
        ({"walk_in_birth_year": "2012"}, "Ange förnamnet på den som kom på drop-in."),
        (
            {"walk_in_first_name": "Liban", "walk_in_birth_year": "1800"},
            "Kontrollera att detta värde är större än eller lika med 1900.",
        ),
        ({"mark-999999999": "present"}, "Någon på listan är inte anmäld till aktiviteten."),
        ({"mark-AMINA": "maybe"}, "Välj närvarande, förhinder eller frånvarande."),
    ],
)
def test_a_bad_sheet_is_explained_keeps_the_ticks_and_writes_nothing(
    client_as: Callable[[Role], Client], sheet: Sheet, data: dict[str, str], message: str
) -> None:
    session, amina = sheet["session"], sheet["amina"]
    post = {
        f"mark-{amina.pk}": "present",
        "walk_in_gender": "not_stated",
        "walk_in_group": "newcomer",
        **data,
    }
    post = {key.replace("AMINA", str(amina.pk)): value for key, value in post.items()}
    people = Person.objects.count()
    response = client_as(Role.VOLUNTEER).post(f"/staff/sessions/{session.pk}/attendance/", post)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not Attendance.objects.filter(session=session).exists()
    assert not VolunteerHours.objects.filter(session=session).exists()
    assert Person.objects.count() == people
    if data.get("mark-AMINA") is None:
        assert 'value="present" checked' in page


def test_a_correction_shows_in_the_sessions_history(
    client_as: Callable[[Role], Client], sheet: Sheet
) -> None:
    session, amina = sheet["session"], sheet["amina"]
    url = f"/staff/sessions/{session.pk}/attendance/"
    volunteer = client_as(Role.VOLUNTEER)
    volunteer.post(url, {f"mark-{amina.pk}": "absent"})
    coordinator = client_as(Role.COORDINATOR)
    coordinator.post(url, {f"mark-{amina.pk}": "excused"})
    assert AttendanceChange.objects.filter(attendance__session=session).count() == 1
    page = coordinator.get(f"/staff/sessions/{session.pk}/").content.decode()
    assert "Ändringar av närvaro" in page
    assert "<td>Frånvarande</td><td>Förhinder</td><td>Samordnare Värnamo</td>" in page
    assert "Rätta närvaron" in page


def test_the_sheet_page_takes_as_many_queries_for_200_people_as_for_10(
    client_as: Callable[[Role], Client], volunteer: User
) -> None:
    client = client_as(Role.VOLUNTEER)

    def page_queries(count: int) -> int:
        activity = ActivityFactory.create()
        activity.leaders.add(volunteer)
        people = Person.objects.bulk_create(
            Person(first_name=f"P{i:03}", group="newcomer") for i in range(count)
        )
        Registration.objects.bulk_create(
            Registration(activity=activity, person=p, status="registered") for p in people
        )
        session = SessionFactory.create(activity=activity, starts_at=timezone.now() - dt.timedelta(hours=1))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/staff/sessions/{session.pk}/attendance/")
        assert len(response.context["rows"]) == count
        return sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET"))

    assert page_queries(10) == page_queries(200)


def test_a_volunteer_cannot_post_marks_for_a_session_they_do_not_lead(
    client_as: Callable[[Role], Client],
) -> None:
    session = SessionFactory.create(starts_at=timezone.now() - dt.timedelta(hours=1))
    person = RegistrationFactory.create(activity=session.activity).person
    response = client_as(Role.VOLUNTEER).post(
        f"/staff/sessions/{session.pk}/attendance/", {f"mark-{person.pk}": "present"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.filter(session=session).exists()


def test_cancelling_from_the_page_mails_and_lists_whom_to_phone(
    client_as: Callable[[Role], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    eager_celery: None,
) -> None:
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=3))
    mailable = PersonFactory.create(first_name="Amina", email="amina@example.com")
    ConsentFactory.create(person=mailable)
    RegistrationFactory.create(activity=session.activity, person=mailable)
    RegistrationFactory.create(
        activity=session.activity, person=PersonFactory.create(first_name="Olena", phone="070-333 33 33")
    )
    client = client_as(Role.COORDINATOR)
    empty = client.post(f"/staff/sessions/{session.pk}/cancel/", {"reason": ""})
    assert "Det här fältet måste fyllas i." in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/sessions/{session.pk}/cancel/", {"reason": "Lokalen är upptagen"}, follow=True
        )
    page = response.content.decode()
    assert "Tillfället är inställt." in page
    assert "E-post skickas till 1 personer." in page
    assert "Personer att ringa" in page
    assert 'href="tel:070-333 33 33"' in page
    assert [m.to for m in mail.outbox] == [["amina@example.com"]]


def test_moving_from_the_page(
    client_as: Callable[[Role], Client],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    eager_celery: None,
) -> None:
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=3), place="")
    mailable = PersonFactory.create(email="amina@example.com")
    ConsentFactory.create(person=mailable)
    RegistrationFactory.create(activity=session.activity, person=mailable)
    client = client_as(Role.COORDINATOR)
    form = client.get(f"/staff/sessions/{session.pk}/move/").content.decode()
    assert f'value="{timezone.localdate(session.starts_at).isoformat()}"' in form
    new_day = (timezone.localdate() + dt.timedelta(days=4)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/sessions/{session.pk}/move/",
            {"date": new_day, "start_time": "10:00", "end_time": "11:00", "place": "Gympasalen"},
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (timezone.localtime(session.starts_at).hour, session.place, session.is_moved) == (
        10,
        "Gympasalen",
        True,
    )
    assert "Gympasalen" in mail.outbox[0].body
    bad = client.post(
        f"/staff/sessions/{session.pk}/move/", {"date": new_day, "start_time": "10:00", "end_time": "09:00"}
    )
    assert "Sluttiden måste vara efter starttiden." in bad.content.decode()


def test_the_session_list_shows_the_volunteers_sessions(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.VOLUNTEER).get("/staff/sessions/")
    titles = {s.activity.title for s in [*response.context["recent"], *response.context["upcoming"]]}
    assert titles <= {"Ungdomsfotboll", "Läxhjälp"}
    assert "Ungdomsfotboll" in titles


def test_future_sessions_offer_no_attendance_yet(
    client_as: Callable[[Role], Client], volunteer: User
) -> None:
    session = Session.objects.filter(
        activity__leaders=volunteer, starts_at__gt=timezone.now() + dt.timedelta(days=2)
    ).first()
    assert session is not None
    page = client_as(Role.VOLUNTEER).get(f"/staff/sessions/{session.pk}/").content.decode()
    assert "Ta närvaro" not in page
