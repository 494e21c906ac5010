"""The issue's "done when", as a new user would do it: a Värnamo coordinator makes a token on the profile
page, lists the people of one activity, posts a session's attendance, and the token is refused in Vaggeryd."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.roles import Role
from activities.models import Attendance
from conftest import login, tenant_client
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.factories import ActivityFactory, PersonFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_coordinator_token_lists_an_activitys_people_posts_attendance_and_is_refused_elsewhere(
    in_varnamo: Municipality,
) -> None:
    activity = ActivityFactory.create(title="Språkcafé API")
    people = PersonFactory.create_batch(2)
    for person in people:
        RegistrationFactory.create(activity=activity, person=person)
    session = SessionFactory.create(activity=activity)

    page = login("varnamo", Role.COORDINATOR).post("/profile/api-tokens/", {"name": "Närvaro-skript"})
    token = page.context["new_token"].plaintext
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    varnamo = tenant_client("varnamo")

    # curl -H "Authorization: Bearer $TOKEN" "http://varnamo.localhost:8000/api/v1/people/?activity=ID"
    listed = varnamo.get("/api/v1/people/", {"activity": activity.pk}, **auth)
    assert listed.status_code == 200
    assert {p["id"] for p in listed.json()["results"]} == {p.pk for p in people}

    # curl -X POST -H "Content-Type: application/json" -d '[{"person": 1, "status": "present"}, …]' …
    body = [{"person": people[0].pk, "status": "present"}, {"person": people[1].pk, "status": "absent"}]
    saved = varnamo.post(
        f"/api/v1/sessions/{session.pk}/attendance/", body, content_type="application/json", **auth
    )
    assert saved.status_code == 200
    assert saved.json()["created"] == 2

    refused = tenant_client("vaggeryd").get("/api/v1/people/", **auth)
    assert refused.status_code == 401
    assert refused.json()["error"]["status"] == 401

    tenant_connection().set_tenant(in_varnamo)
    assert dict(Attendance.objects.filter(session=session).values_list("person_id", "status")) == {
        people[0].pk: "present",
        people[1].pk: "absent",
    }
