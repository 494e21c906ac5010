"""Writes of activities, sessions, projects and registrations through the API, through the activity and
project services: schedules become sessions, seats go to the waiting list, a cancelled or moved session is
announced to the people registered, refusals leave nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import (
    Activity,
    Project,
    Registration,
    RegistrationStatus,
    ReportingDate,
    Session,
    SessionStatus,
)
from tests.support.api_clients import demo_api
from tests.support.factories import (
    ActivityFactory,
    AttendanceFactory,
    ConsentFactory,
    PersonFactory,
    ProjectFactory,
    RegistrationFactory,
    SessionFactory,
    local,
)
from tests.support.people_factories import PartnerFactory

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
    partner = PartnerFactory.create()
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
    inactive = PartnerFactory.create(is_active=False)
    board_or_missing = api.post("/api/v1/activities/", weekly(leaders=[999_999_999]))
    assert board_or_missing.status_code == 404
    assert (
        board_or_missing.json()["error"]["message"]
        == "Det finns ingen sådan användare som kan leda aktiviteten."
    )
    assert api.post("/api/v1/activities/", weekly(partner=inactive.pk)).status_code == 404
    assert not Activity.objects.filter(title="API-språkcafé").exists()


def test_a_larger_capacity_gives_the_waiting_list_its_seats(in_varnamo: object) -> None:
    activity = ActivityFactory.create(capacity=1)
    RegistrationFactory.create(activity=activity)
    waiting = RegistrationFactory.create(activity=activity, status=RegistrationStatus.WAITLISTED)
    response = demo_api(Role.COORDINATOR).patch(f"/api/v1/activities/{activity.pk}/", {"capacity": 2})
    assert response.status_code == 200
    assert response.json()["capacity"] == 2
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.REGISTERED
    activity.refresh_from_db()
    assert activity.title.startswith("Testaktivitet")  # untouched fields stay


def test_ending_an_activity_closes_registration(in_varnamo: object) -> None:
    activity = ActivityFactory.create()
    api = demo_api(Role.COORDINATOR)
    assert api.patch(f"/api/v1/activities/{activity.pk}/", {"is_active": False}).status_code == 200
    refused = api.post(
        "/api/v1/registrations/", {"activity": activity.pk, "person": PersonFactory.create().pk}
    )
    assert refused.status_code == 409


def test_an_extra_session_is_added_once(in_varnamo: object) -> None:
    activity = ActivityFactory.create()
    api = demo_api(Role.COORDINATOR)
    body = {"date": (TODAY + dt.timedelta(days=3)).isoformat(), "start_time": "10:00", "end_time": "12:00"}
    added = api.post(f"/api/v1/activities/{activity.pk}/sessions/", body)
    assert added.status_code == 201, added.content
    assert added.json()["activity"] == activity.pk
    assert added.json()["present_count"] == 0
    twice = api.post(f"/api/v1/activities/{activity.pk}/sessions/", body)
    assert twice.status_code == 409
    assert Session.objects.filter(activity=activity).count() == 1


def test_times_and_dates_outside_the_contract_are_400(in_varnamo: object) -> None:
    activity = ActivityFactory.create()
    response = demo_api(Role.COORDINATOR).post(
        f"/api/v1/activities/{activity.pk}/sessions/",
        {"date": "0001-01-01", "start_time": "25:00", "end_time": "noon"},
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"date", "start_time", "end_time"}


def test_projects_are_created_and_linked_to_activities(in_varnamo: object) -> None:
    activity = ActivityFactory.create()
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
    assert project["budget_sek"] == "250000"
    assert project["activities"] == []
    linked = api.patch(f"/api/v1/projects/{project['id']}/", {"activities": [activity.pk]})
    assert linked.json()["activities"] == [activity.pk]
    assert linked.json()["funder_name"] == "Region Jönköpings län"
    backwards = api.patch(f"/api/v1/projects/{project['id']}/", {"ends_on": "2025-06-30"})
    assert backwards.status_code == 409
    assert Project.objects.get(pk=project["id"]).ends_on == dt.date(2026, 12, 31)
    assert api.patch(f"/api/v1/projects/{project['id']}/", {"activities": [999_999_999]}).status_code == 404


def test_a_project_budget_can_be_cleared(in_varnamo: object) -> None:
    project = ProjectFactory.create(budget_sek=1000)
    response = demo_api(Role.COORDINATOR).patch(f"/api/v1/projects/{project.pk}/", {"budget_sek": None})
    assert response.status_code == 200
    assert response.json()["budget_sek"] is None


def test_cancelling_a_registration_gives_the_seat_to_the_first_waiting(in_varnamo: object) -> None:
    activity = ActivityFactory.create(capacity=1)
    seat = RegistrationFactory.create(activity=activity)
    first = RegistrationFactory.create(activity=activity, status=RegistrationStatus.WAITLISTED)
    second = RegistrationFactory.create(activity=activity, status=RegistrationStatus.WAITLISTED)
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
    activity = ActivityFactory.create()
    activity.leaders.add(volunteer)
    seat = RegistrationFactory.create(activity=activity)
    response = demo_api(Role.VOLUNTEER).post(f"/api/v1/registrations/{seat.pk}/cancel/")
    assert response.status_code == 403
    assert Registration.objects.get(pk=seat.pk).status == RegistrationStatus.REGISTERED


def _session_with_people() -> tuple[Session, Any, Any]:
    """A session in three days with one person to e-mail (address and contact consent) and one to phone."""
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=3), place="Biblioteket")
    mailable = PersonFactory.create(first_name="Amina", email="amina@example.com")
    ConsentFactory.create(person=mailable)
    RegistrationFactory.create(activity=session.activity, person=mailable)
    to_phone = PersonFactory.create(first_name="Olena", phone="070-333 33 33")
    RegistrationFactory.create(activity=session.activity, person=to_phone)
    return session, mailable, to_phone


def test_a_session_is_cancelled_with_its_reason_and_the_people_registered_are_told(
    in_varnamo: object, django_capture_on_commit_callbacks: Callable[..., Any], eager_celery: None
) -> None:
    session, mailable, to_phone = _session_with_people()
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/sessions/{session.pk}/cancel/"
    missing = api.post(path, {})
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"reason": ["Det här fältet måste fyllas i."]}
    blank = api.post(path, {"reason": "   "})
    assert blank.status_code == 409
    assert blank.json()["error"]["fields"] == {
        "reason": ["Skriv varför tillfället ställs in: de anmälda får veta det."]
    }
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(path, {"reason": "Lokalen är upptagen"})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["session"]["id"], answer["session"]["status"], answer["session"]["cancel_reason"]) == (
        session.pk,
        SessionStatus.CANCELLED,
        "Lokalen är upptagen",
    )
    assert (answer["emailed"], answer["to_phone"]) == ([mailable.pk], [to_phone.pk])
    assert [message.to for message in mail.outbox] == [["amina@example.com"]]
    again = api.post(path, {"reason": "Igen"})
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "Tillfället är redan inställt."
    assert Session.objects.get(pk=session.pk).cancel_reason == "Lokalen är upptagen"


def test_a_session_that_took_place_cannot_be_cancelled(in_varnamo: object) -> None:
    session = SessionFactory.create()
    AttendanceFactory.create(session=session)
    response = demo_api(Role.ADMIN).post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Regn"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_a_session_is_moved_and_keeps_its_place_unless_given_one(
    in_varnamo: object, django_capture_on_commit_callbacks: Callable[..., Any], eager_celery: None
) -> None:
    session, mailable, to_phone = _session_with_people()
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/sessions/{session.pk}/move/"
    new_day = TODAY + dt.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(path, {"date": new_day.isoformat(), "start_time": "10:00", "end_time": "11:30"})
    assert response.status_code == 200, response.content
    assert (response.json()["emailed"], response.json()["to_phone"]) == ([mailable.pk], [to_phone.pk])
    session.refresh_from_db()
    start = timezone.localtime(session.starts_at)
    assert (start.date(), start.hour, timezone.localtime(session.ends_at).minute) == (new_day, 10, 30)
    assert session.place == "Biblioteket"
    assert session.is_moved
    assert response.json()["session"]["starts_at"] == start.isoformat()
    assert "Biblioteket" in mail.outbox[0].body
    elsewhere = api.post(
        path, {"date": new_day.isoformat(), "start_time": "10:00", "end_time": "11:30", "place": "Gympasalen"}
    )
    assert elsewhere.status_code == 200
    assert Session.objects.get(pk=session.pk).place == "Gympasalen"


def test_a_move_the_service_refuses_changes_nothing(in_varnamo: object) -> None:
    session = SessionFactory.create(starts_at=local(TODAY + dt.timedelta(days=3), 18, 30))
    before = (session.starts_at, session.ends_at, session.place)
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/sessions/{session.pk}/move/"
    day = (TODAY + dt.timedelta(days=5)).isoformat()
    backwards = api.post(path, {"date": day, "start_time": "10:00", "end_time": "09:00"})
    assert backwards.status_code == 409
    assert backwards.json()["error"]["fields"] == {"end_time": ["Sluttiden måste vara efter starttiden."]}
    start = timezone.localtime(session.starts_at)
    same = api.post(
        path,
        {
            "date": start.date().isoformat(),
            "start_time": start.strftime("%H:%M"),
            "end_time": timezone.localtime(session.ends_at).strftime("%H:%M"),
        },
    )
    assert same.status_code == 409
    assert same.json()["error"]["message"] == "Inget ändrades: ange en ny tid eller plats."
    malformed = api.post(path, {"date": "0001-01-01", "start_time": "25:00"})
    assert malformed.status_code == 400
    assert set(malformed.json()["error"]["fields"]) == {"date", "start_time", "end_time"}
    cancelled = SessionFactory.create(status=SessionStatus.CANCELLED, cancel_reason="Regn")
    refused = api.post(
        f"/api/v1/sessions/{cancelled.pk}/move/", {"date": day, "start_time": "10:00", "end_time": "11:00"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "Ett inställt tillfälle kan inte flyttas."
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.place) == before


def test_a_volunteer_cannot_cancel_or_move_even_the_sessions_they_lead(
    in_varnamo: object, volunteer: User
) -> None:
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=3))
    session.activity.leaders.add(volunteer)
    api = demo_api(Role.VOLUNTEER)
    assert api.get(f"/api/v1/sessions/{session.pk}/").status_code == 200  # they see it
    cancel = api.post(f"/api/v1/sessions/{session.pk}/cancel/", {"reason": "Sjuk"})
    day = (TODAY + dt.timedelta(days=5)).isoformat()
    move = api.post(
        f"/api/v1/sessions/{session.pk}/move/", {"date": day, "start_time": "10:00", "end_time": "11:00"}
    )
    assert (cancel.status_code, move.status_code) == (403, 403)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert not session.is_moved


def test_a_session_of_an_activity_the_user_may_not_see_is_404(in_varnamo: object) -> None:
    session = SessionFactory.create(starts_at=timezone.now() + dt.timedelta(days=3))
    response = demo_api(Role.ADMIN).post("/api/v1/sessions/999999999/cancel/", {"reason": "Regn"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_reporting_dates_are_listed_added_and_marked_done_as_on_the_project_page(in_varnamo: object) -> None:
    project = ProjectFactory.create()
    later = ReportingDate.objects.create(
        project=project, due_on=dt.date(2026, 12, 1), description="Slutrapport"
    )
    sooner = ReportingDate.objects.create(
        project=project, due_on=dt.date(2026, 6, 1), description="Lägesrapport"
    )
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/projects/{project.pk}/reporting-dates/"
    listed = api.get(path)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()] == [sooner.pk, later.pk]
    added = api.post(path, {"due_on": "2026-09-30", "description": "  Ekonomisk redovisning "})
    assert added.status_code == 201, added.content
    assert (added.json()["project"], added.json()["description"], added.json()["done"]) == (
        project.pk,
        "Ekonomisk redovisning",
        False,
    )
    assert [row["due_on"] for row in api.get(path).json()] == ["2026-06-01", "2026-09-30", "2026-12-01"]
    done = api.post(f"{path}{sooner.pk}/done/", {})
    assert done.status_code == 200
    assert done.json()["done"] is True
    assert ReportingDate.objects.get(pk=sooner.pk).done
    undone = api.post(f"{path}{sooner.pk}/done/", {"done": False})
    assert undone.json()["done"] is False
    assert not ReportingDate.objects.get(pk=sooner.pk).done


def test_a_reporting_date_needs_its_date_and_what_is_due(in_varnamo: object) -> None:
    project = ProjectFactory.create()
    api = demo_api(Role.ADMIN)
    path = f"/api/v1/projects/{project.pk}/reporting-dates/"
    malformed = api.post(path, {"description": "Slutrapport", "due_on": "31/12/2026"})
    assert malformed.status_code == 400
    assert list(malformed.json()["error"]["fields"]) == ["due_on"]
    missing = api.post(path, {"due_on": "2026-12-31"})
    assert missing.json()["error"]["fields"] == {"description": ["Det här fältet måste fyllas i."]}
    blank = api.post(path, {"due_on": "2026-12-31", "description": "   "})
    assert blank.status_code == 409
    assert blank.json()["error"]["fields"] == {"description": ["Skriv vad som ska lämnas in."]}
    assert not ReportingDate.objects.filter(project=project).exists()


def test_a_reporting_date_belongs_to_its_project(in_varnamo: object) -> None:
    project, other = ProjectFactory.create(), ProjectFactory.create()
    due = ReportingDate.objects.create(project=other, due_on=dt.date(2026, 6, 1), description="Lägesrapport")
    api = demo_api(Role.COORDINATOR)
    wrong = api.post(f"/api/v1/projects/{project.pk}/reporting-dates/{due.pk}/done/", {})
    assert wrong.status_code == 404
    assert not ReportingDate.objects.get(pk=due.pk).done
    assert api.get("/api/v1/projects/999999999/reporting-dates/").status_code == 404


def test_volunteers_neither_see_nor_add_reporting_dates(in_varnamo: object) -> None:
    project = ProjectFactory.create()
    api = demo_api(Role.VOLUNTEER)
    path = f"/api/v1/projects/{project.pk}/reporting-dates/"
    assert api.get(path).status_code == 403
    assert api.post(path, {"due_on": "2026-12-31", "description": "Slutrapport"}).status_code == 403
    assert not ReportingDate.objects.filter(project=project).exists()
