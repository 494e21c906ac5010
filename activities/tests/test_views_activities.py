"""The activity pages as a coordinator uses them: create, edit, add sessions, register, cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Registration, Session
from tests.support.factories import ActivityFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Stickcafé",
        "category": "culture",
        "arena": "community_life",
        "audience": "adults",
        "place": "Biblioteket",
        "capacity": "12",
        "languages": "sv, ar,fa",
        "is_public": "on",
        "is_active": "on",
        "schedule_kind": "weekly",
        "weekdays": ["1", "3"],
        "start_time": "17:00",
        "end_time": "19:00",
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-31",
        "dates": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def coordinator_client(client_as: Callable[[Role], Client]) -> Client:
    return client_as(Role.COORDINATOR)


def test_a_coordinator_creates_a_weekly_activity_and_its_sessions(
    coordinator_client: Client, volunteer: User
) -> None:
    response = coordinator_client.post("/staff/activities/new/", form(leaders=[str(volunteer.pk)]))
    assert response.status_code == 302
    activity = Activity.objects.get(title="Stickcafé")
    assert response["Location"] == f"/staff/activities/{activity.pk}/"
    assert (activity.capacity, activity.languages, list(activity.leaders.all())) == (
        12,
        ["ar", "fa", "sv"],
        [volunteer],
    )
    assert activity.sessions.count() == 8  # Tuesdays and Thursdays of January 2027
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Varje vecka på tisdag, torsdag, 17:00–19:00" in page


def test_reversed_dates_get_a_clear_error_and_nothing_is_written(coordinator_client: Client) -> None:
    before = (Activity.objects.count(), Session.objects.count())
    response = coordinator_client.post(
        "/staff/activities/new/", form(starts_on="2027-02-01", ends_on="2027-01-01")
    )
    assert response.status_code == 200
    assert "Sista datumet måste vara samma som eller efter första datumet." in response.content.decode()
    assert "Inget sparades" in response.content.decode()
    assert (Activity.objects.count(), Session.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "-3"}, "Antalet platser kan inte vara mindre än noll."),
        ({"weekdays": []}, "Välj minst en veckodag."),
        ({"end_time": "16:00"}, "Sluttiden måste vara efter starttiden."),
        ({"languages": "svenska"}, "Ingen språkkod: svenska."),
        ({"title": ""}, "Det här fältet måste fyllas i."),
        ({"schedule_kind": "single", "dates": "17 maj"}, "17 maj är inget datum"),
    ],
)
def test_bad_input_is_explained_in_swedish_and_writes_nothing(
    coordinator_client: Client, changes: dict[str, object], message: str
) -> None:
    before = Activity.objects.count()
    response = coordinator_client.post("/staff/activities/new/", form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Activity.objects.count() == before


def test_an_empty_capacity_means_no_limit(coordinator_client: Client) -> None:
    coordinator_client.post("/staff/activities/new/", form(capacity=""))
    assert Activity.objects.get(title="Stickcafé").capacity is None


def test_editing_keeps_the_form_filled_and_saves(coordinator_client: Client) -> None:
    coordinator_client.post("/staff/activities/new/", form())
    activity = Activity.objects.get(title="Stickcafé")
    page = coordinator_client.get(f"/staff/activities/{activity.pk}/edit/").content.decode()
    assert 'value="Stickcafé"' in page
    assert 'value="2027-01-04"' in page
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/edit/", form(title="Stick- och sycafé", weekdays=["1"])
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Stick- och sycafé"
    assert activity.sessions.count() == 4


def test_single_dates_and_an_extra_session(coordinator_client: Client) -> None:
    response = coordinator_client.post(
        "/staff/activities/new/",
        form(schedule_kind="single", weekdays=[], starts_on="", ends_on="", dates="2027-05-16\n2027-05-30"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="Stickcafé")
    assert activity.sessions.count() == 2
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/sessions/new/",
        {"date": "2027-06-13", "start_time": "10:00", "end_time": "12:00", "place": "Parken"},
    )
    assert response.status_code == 302
    assert activity.sessions.count() == 3
    again = coordinator_client.post(
        f"/staff/activities/{activity.pk}/sessions/new/",
        {"date": "2027-06-13", "start_time": "10:00", "end_time": "12:00"},
    )
    assert "Aktiviteten har redan ett tillfälle vid den tiden." in again.content.decode()
    assert activity.sessions.count() == 3


def test_registering_fills_the_seats_then_the_waiting_list(coordinator_client: Client) -> None:
    activity = ActivityFactory.create(capacity=1)
    first, second = PersonFactory.create(first_name="Selam"), PersonFactory.create(first_name="Yonas")
    search = coordinator_client.get(f"/staff/activities/{activity.pk}/register/", {"q": "Selam"})
    assert "Anmäl Selam" in search.content.decode()
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/register/", {"person": first.pk}, follow=True
    )
    assert "Selam Testsson är anmäld." in response.content.decode()
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/register/", {"person": second.pk}, follow=True
    )
    assert "Aktiviteten är full: Yonas Testsson står på väntelistan." in response.content.decode()
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/register/", {"person": second.pk}, follow=True
    )
    assert "redan anmäld eller står på väntelistan" in response.content.decode()
    assert (
        coordinator_client.post(f"/staff/activities/{activity.pk}/register/", {"person": 10**9}).status_code
        == 404
    )

    seat = Registration.objects.get(activity=activity, person=first)
    response = coordinator_client.post(
        f"/staff/activities/{activity.pk}/registrations/{seat.pk}/cancel/", follow=True
    )
    page = response.content.decode()
    assert "Från väntelistan: Yonas Testsson fick en plats." in page
    assert "Ring gärna: Yonas Testsson" in page
    assert Registration.objects.get(activity=activity, person=second).status == "registered"


def test_the_activity_page_shows_registered_and_waiting_people(
    coordinator_client: Client, client_as: Callable[[Role], Client], volunteer: User
) -> None:
    activity = ActivityFactory.create(capacity=1)
    activity.leaders.add(volunteer)
    RegistrationFactory.create(activity=activity, person=PersonFactory.create(first_name="Sittande"))
    RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(first_name="Väntande"), status="waitlisted"
    )
    RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(first_name="Hemlig", protected_identity=True)
    )
    page = coordinator_client.get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "Sittande" in page
    assert "Väntande" in page
    assert "Hemlig" in page
    volunteer_page = client_as(Role.VOLUNTEER).get(f"/staff/activities/{activity.pk}/").content.decode()
    assert "Sittande" in volunteer_page
    assert "Hemlig" not in volunteer_page
    assert "Avboka anmälan" not in volunteer_page


def test_the_list_searches_filters_and_pages_in_a_fixed_number_of_queries(coordinator_client: Client) -> None:
    def listed(path: str) -> tuple[int, list[str], str]:
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(path)
        count = sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET"))
        return count, [a.title for a in response.context["page"].object_list], response.content.decode()

    few, _, _ = listed("/staff/activities/")
    ActivityFactory.create_batch(40, category="culture")
    many, _, page = listed("/staff/activities/")
    assert few == many
    assert "Sida 1 av 2" in page
    assert listed("/staff/activities/?category=sport")[1] == ["Ungdomsfotboll"]
    assert listed("/staff/activities/?q=caf")[1] == ["Språkcafé"]


def test_a_volunteer_lists_only_their_activities(client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.VOLUNTEER).get("/staff/activities/")
    assert [a.title for a in response.context["page"].object_list] == ["Läxhjälp", "Ungdomsfotboll"]
    assert "Ny aktivitet" not in response.content.decode()


def test_dates_are_shown_in_local_time(coordinator_client: Client) -> None:
    coordinator_client.post(
        "/staff/activities/new/",
        form(
            starts_on="2027-03-23", ends_on="2027-04-01", weekdays=["1"], start_time="18:00", end_time="19:30"
        ),
    )
    activity = Activity.objects.get(title="Stickcafé")
    starts = [s.starts_at.astimezone(dt.UTC).hour for s in activity.sessions.order_by("starts_at")]
    assert starts == [17, 16]  # 18:00 before and after summer time began on 28 March 2027
