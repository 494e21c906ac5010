"""Every local-network endpoint: the roles of the pages may read it, the others are refused, anonymous gets
401, and volunteers never see a protected identity."""

from __future__ import annotations

from typing import TypedDict

import pytest

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, Registration, RegistrationStatus
from people.models import Person
from tests.support.api_clients import Api, demo_api
from tests.support.factories import ActivityFactory, PersonFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

STAFF = {Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER}
MANAGERS = {Role.ADMIN, Role.COORDINATOR}
LISTS = {
    "/api/v1/households/": STAFF,
    "/api/v1/people/": STAFF,
    "/api/v1/partners/": MANAGERS,
    "/api/v1/activities/": STAFF,
    "/api/v1/sessions/": STAFF,
    "/api/v1/registrations/": STAFF,
    "/api/v1/attendance/": STAFF,
    "/api/v1/projects/": MANAGERS,
    "/api/v1/match-requests/": MANAGERS,
    "/api/v1/matches/": MANAGERS,
    "/api/v1/pathways/": MANAGERS,
    "/api/v1/district-neighbours/": MANAGERS,
}
# Board members exist on the association only; a local network has these three.
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER]


@pytest.mark.parametrize("path", LISTS)
def test_each_list_lets_in_the_roles_of_the_pages_and_refuses_the_others(
    path: str, in_varnamo: object
) -> None:
    for role in ROLES:
        response = demo_api(role).get(path)
        expected = 200 if role in LISTS[path] else 403
        assert response.status_code == expected, (path, role)
        if expected == 200:
            assert set(response.json()) == {"count", "next", "previous", "results"}
        else:
            assert response.json()["error"]["status"] == 403


@pytest.mark.parametrize("path", LISTS)
def test_anonymous_gets_401_in_the_error_shape(path: str, in_varnamo: object) -> None:
    response = Api("varnamo", None).get(path)
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


@pytest.mark.parametrize("path", LISTS)
def test_each_detail_answers_for_a_listed_record_and_404_for_a_missing_one(
    path: str, in_varnamo: object
) -> None:
    api = demo_api(Role.ADMIN)
    results = api.get(path, page_size=1).json()["results"]
    if results:
        assert api.get(f"{path}{results[0]['id']}/").json()["id"] == results[0]["id"]
    missing = api.get(f"{path}999999999/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


class LedActivity(TypedDict):
    activity: Activity
    ordinary: Person
    protected: Person


@pytest.fixture
def led_activity(volunteer: User) -> LedActivity:
    """An activity the demo volunteer leads, with one ordinary and one protected person registered."""
    activity = ActivityFactory.create()
    activity.leaders.add(volunteer)
    ordinary = PersonFactory.create(first_name="Synlig")
    protected = PersonFactory.create(first_name="Skyddad", protected_identity=True)
    RegistrationFactory.create(activity=activity, person=ordinary)
    RegistrationFactory.create(activity=activity, person=protected)
    return {"activity": activity, "ordinary": ordinary, "protected": protected}


def test_volunteers_see_the_people_of_their_activities_but_never_a_protected_identity(
    led_activity: LedActivity,
) -> None:
    activity, ordinary, protected = (
        led_activity["activity"],
        led_activity["ordinary"],
        led_activity["protected"],
    )
    volunteer = demo_api(Role.VOLUNTEER)
    listed = volunteer.get("/api/v1/people/", activity=activity.pk, page_size=200).json()
    assert [p["id"] for p in listed["results"]] == [ordinary.pk]
    everyone = volunteer.get("/api/v1/people/", page_size=200).json()["results"]
    assert protected.pk not in {p["id"] for p in everyone}
    assert all(not p["protected_identity"] for p in everyone)
    assert volunteer.get(f"/api/v1/people/{protected.pk}/").status_code == 404
    registrations = volunteer.get("/api/v1/registrations/", activity=activity.pk).json()["results"]
    assert {r["person"] for r in registrations} == {ordinary.pk}
    # The register's roles see the protected person, as on the pages.
    coordinator = demo_api(Role.COORDINATOR)
    listed = coordinator.get("/api/v1/people/", activity=activity.pk).json()["results"]
    assert {p["id"] for p in listed} == {ordinary.pk, protected.pk}


def test_a_coordinators_notes_are_not_for_volunteers(led_activity: LedActivity) -> None:
    ordinary = led_activity["ordinary"]
    type(ordinary).objects.filter(pk=ordinary.pk).update(notes="Behöver tolk till arabiska")
    path = f"/api/v1/people/{ordinary.pk}/"
    assert demo_api(Role.VOLUNTEER).get(path).json()["notes"] == ""
    assert demo_api(Role.COORDINATOR).get(path).json()["notes"] == "Behöver tolk till arabiska"


def test_a_volunteer_sees_only_the_activities_and_sessions_they_lead(led_activity: LedActivity) -> None:
    activity = led_activity["activity"]
    SessionFactory.create(activity=activity)
    other = SessionFactory.create()
    volunteer = demo_api(Role.VOLUNTEER)
    activity_ids = {a["id"] for a in volunteer.get("/api/v1/activities/", page_size=200).json()["results"]}
    assert activity.pk in activity_ids
    assert other.activity_id not in activity_ids
    assert volunteer.get(f"/api/v1/sessions/{other.pk}/").status_code == 404


def test_lists_filter_search_and_order(in_varnamo: object) -> None:
    PersonFactory.create(first_name="Zelda", last_name="Åberg", birth_year=2001)
    PersonFactory.create(first_name="Zelda", last_name="Berg", birth_year=1960)
    api = demo_api(Role.COORDINATOR)
    found = api.get("/api/v1/people/", search="Zelda", ordering="-birth_year").json()["results"]
    assert [p["last_name"] for p in found] == ["Åberg", "Berg"]
    found = api.get("/api/v1/people/", search="Zelda", born_until=1970).json()["results"]
    assert [p["last_name"] for p in found] == ["Berg"]
    assert api.get("/api/v1/people/", born_until="soon").status_code == 400


def test_page_size_is_capped(in_varnamo: object) -> None:
    response = demo_api(Role.ADMIN).get("/api/v1/people/", page_size=10_000).json()
    assert response["count"] > 200
    assert len(response["results"]) == 200


def test_registration_goes_through_the_service_so_capacity_and_waiting_list_hold(in_varnamo: object) -> None:
    activity = ActivityFactory.create(capacity=1)
    first, second = PersonFactory.create(), PersonFactory.create()
    api = demo_api(Role.COORDINATOR)
    made = api.post("/api/v1/registrations/", {"activity": activity.pk, "person": first.pk})
    assert made.status_code == 201
    assert made.json()["status"] == RegistrationStatus.REGISTERED
    waiting = api.post("/api/v1/registrations/", {"activity": activity.pk, "person": second.pk})
    assert waiting.json()["status"] == RegistrationStatus.WAITLISTED
    again = api.post("/api/v1/registrations/", {"activity": activity.pk, "person": first.pk})
    assert again.status_code == 409
    assert "redan" in again.json()["error"]["message"]
    assert Registration.objects.filter(activity=activity).count() == 2


def test_registration_refusals(in_varnamo: object) -> None:
    activity = ActivityFactory.create()
    person = PersonFactory.create()
    assert (
        demo_api(Role.VOLUNTEER).post(
            "/api/v1/registrations/", {"activity": activity.pk, "person": person.pk}
        )
    ).status_code == 403
    api = demo_api(Role.ADMIN)
    assert api.post("/api/v1/registrations/", {"activity": activity.pk, "person": 0}).status_code == 400
    assert api.post("/api/v1/registrations/", {"activity": 999999999, "person": person.pk}).status_code == 404
    assert not Registration.objects.filter(activity=activity).exists()
