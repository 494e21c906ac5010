"""Writes of activities, sessions, projects and registrations through the API, through the activity and
project services: schedules become sessions, seats go to the waiting list, refusals leave nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role, User
from core.models import Activity, Project, Registration, RegistrationStatus, Session
from core.tests.api_clients import demo_api
from core.tests.factories import ActivityFactory, PersonFactory, ProjectFactory, RegistrationFactory
from core.tests.people_factories import PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def weekly(**extra: object) -> dict[str, object]:
    return {
        "title": "API-språkcafé",
        "category": "language_cafe",
        "schedule_kind": "weekly",
        "weekdays": [1],
        "start_time": "18:00",
        "end_time": "20:00",
        "starts_on": (TODAY + dt.timedelta(days=1)).isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=28)).isoformat(),
        **extra,
    }


def test_an_activity_is_created_with_the_sessions_of_its_schedule(
    in_varnamo: object, volunteer: User
) -> None:
    partner = PartnerFactory()
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/activities/",
        weekly(partner=partner.pk, leaders=[volunteer.pk], capacity=12, languages=["sv", "ar"]),
    )
    assert response.status_code == 201, response.content
    activity = response.json()
    assert (activity["partner"], activity["leaders"], activity["capacity"]) == (
        partner.pk,
        [volunteer.pk],
        12,
    )
    assert activity["start_time"] == "18:00:00"
    sessions = Session.objects.filter(activity_id=activity["id"])
    assert sessions.count() == 4  # four Tuesdays in four weeks
    assert {timezone.localtime(s.starts_at).hour for s in sessions} == {18}
    # The volunteer now leads it, so sees it.
    assert demo_api(Role.VOLUNTEER).get(f"/api/v1/activities/{activity['id']}/").status_code == 200


def test_a_refused_schedule_writes_nothing(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    count = Activity.objects.count()
    response = api.post("/api/v1/activities/", weekly(title="Baklänges", end_time="17:00"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["message"] == "Sluttiden måste vara efter starttiden."
    assert error["fields"] == {"end_time": [error["message"]]}
    assert Activity.objects.count() == count
    assert not Session.objects.filter(activity__title="Baklänges").exists()


def test_references_the_form_would_not_offer_are_404(in_varnamo: object) -> None:
    api = demo_api(Role.ADMIN)
    inactive = PartnerFactory(is_active=False)
    board_or_missing = api.post("/api/v1/activities/", weekly(leaders=[999_999_999]))
    assert board_or_missing.status_code == 404
    assert (
        board_or_missing.json()["error"]["message"]
        == "Det finns ingen sådan användare som kan leda aktiviteten."
    )
    assert api.post("/api/v1/activities/", weekly(partner=inactive.pk)).status_code == 404
    assert not Activity.objects.filter(title="API-språkcafé").exists()


def test_a_larger_capacity_gives_the_waiting_list_its_seats(in_varnamo: object) -> None:
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    waiting = RegistrationFactory(activity=activity, status=RegistrationStatus.WAITLISTED)
    response = demo_api(Role.COORDINATOR).patch(f"/api/v1/activities/{activity.pk}/", {"capacity": 2})
    assert response.status_code == 200
    assert response.json()["capacity"] == 2
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.REGISTERED
    activity.refresh_from_db()
    assert activity.title.startswith("Testaktivitet")  # untouched fields stay


def test_ending_an_activity_closes_registration(in_varnamo: object) -> None:
    activity = ActivityFactory()
    api = demo_api(Role.COORDINATOR)
    assert api.patch(f"/api/v1/activities/{activity.pk}/", {"is_active": False}).status_code == 200
    refused = api.post("/api/v1/registrations/", {"activity": activity.pk, "person": PersonFactory().pk})
    assert refused.status_code == 409


def test_an_extra_session_is_added_once(in_varnamo: object) -> None:
    activity = ActivityFactory()
    api = demo_api(Role.COORDINATOR)
    body = {"date": (TODAY + dt.timedelta(days=3)).isoformat(), "start_time": "10:00", "end_time": "12:00"}
    added = api.post(f"/api/v1/activities/{activity.pk}/sessions/", body)
    assert added.status_code == 201, added.content
    assert added.json()["activity"] == activity.pk and added.json()["present_count"] == 0
    twice = api.post(f"/api/v1/activities/{activity.pk}/sessions/", body)
    assert twice.status_code == 409
    assert Session.objects.filter(activity=activity).count() == 1


def test_times_and_dates_outside_the_contract_are_400(in_varnamo: object) -> None:
    activity = ActivityFactory()
    response = demo_api(Role.COORDINATOR).post(
        f"/api/v1/activities/{activity.pk}/sessions/",
        {"date": "0001-01-01", "start_time": "25:00", "end_time": "noon"},
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"date", "start_time", "end_time"}


def test_projects_are_created_and_linked_to_activities(in_varnamo: object) -> None:
    activity = ActivityFactory()
    api = demo_api(Role.ADMIN)
    made = api.post(
        "/api/v1/projects/",
        {
            "name": "API-projektet",
            "funder_kind": "region",
            "funder_name": "Region Jönköpings län",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "budget_sek": 250000,
        },
    )
    assert made.status_code == 201, made.content
    project = made.json()
    assert project["budget_sek"] == "250000" and project["activities"] == []
    linked = api.patch(f"/api/v1/projects/{project['id']}/", {"activities": [activity.pk]})
    assert linked.json()["activities"] == [activity.pk]
    assert linked.json()["funder_name"] == "Region Jönköpings län"
    backwards = api.patch(f"/api/v1/projects/{project['id']}/", {"ends_on": "2025-06-30"})
    assert backwards.status_code == 409
    assert Project.objects.get(pk=project["id"]).ends_on == dt.date(2026, 12, 31)
    assert api.patch(f"/api/v1/projects/{project['id']}/", {"activities": [999_999_999]}).status_code == 404


def test_a_project_budget_can_be_cleared(in_varnamo: object) -> None:
    project = ProjectFactory(budget_sek=1000)
    response = demo_api(Role.COORDINATOR).patch(f"/api/v1/projects/{project.pk}/", {"budget_sek": None})
    assert response.status_code == 200 and response.json()["budget_sek"] is None


def test_cancelling_a_registration_gives_the_seat_to_the_first_waiting(in_varnamo: object) -> None:
    activity = ActivityFactory(capacity=1)
    seat = RegistrationFactory(activity=activity)
    first = RegistrationFactory(activity=activity, status=RegistrationStatus.WAITLISTED)
    second = RegistrationFactory(activity=activity, status=RegistrationStatus.WAITLISTED)
    api = demo_api(Role.COORDINATOR)
    response = api.post(f"/api/v1/registrations/{seat.pk}/cancel/")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["registration"]["status"] == RegistrationStatus.CANCELLED
    assert answer["registration"]["cancelled_at"]
    assert answer["promoted"] == [first.person_id]
    assert answer["to_phone"] == [first.person_id]  # no e-mail address: the coordinator phones
    assert Registration.objects.get(pk=first.pk).status == RegistrationStatus.REGISTERED
    assert Registration.objects.get(pk=second.pk).status == RegistrationStatus.WAITLISTED
    again = api.post(f"/api/v1/registrations/{seat.pk}/cancel/")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "Anmälan är redan avbokad."


def test_a_volunteer_cannot_cancel_even_in_their_own_activity(in_varnamo: object, volunteer: User) -> None:
    activity = ActivityFactory()
    activity.leaders.add(volunteer)
    seat = RegistrationFactory(activity=activity)
    response = demo_api(Role.VOLUNTEER).post(f"/api/v1/registrations/{seat.pk}/cancel/")
    assert response.status_code == 403
    assert Registration.objects.get(pk=seat.pk).status == RegistrationStatus.REGISTERED
