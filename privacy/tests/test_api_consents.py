"""A person's consent read through the API, as the person's page shows it: per purpose the decision in force
(given or not, when, by whom, the guardian) and every decision behind it. Only the roles of the person's
privacy page read it; a missing person, an anonymised one and another network's are the same 404."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from api.services import api_token_create
from people.models import Consent, ConsentPurpose, Person
from tenants.models import Municipality
from tests.support.api_clients import Api, demo_api
from tests.support.factories import ActivityFactory, ConsentFactory, PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
# An id no network has, used for a person of Vaggeryd's.
FOREIGN_ID = 876_543


def _decided(person: Person, purpose: str, *, given: bool, days_ago: int, **extra: object) -> Consent:
    """A decision recorded ``days_ago`` (recorded_at is set on save, so it is moved afterwards)."""
    consent = ConsentFactory.create(person=person, purpose=purpose, given=given, **extra)
    Consent.objects.filter(pk=consent.pk).update(recorded_at=NOW - dt.timedelta(days=days_ago))
    consent.refresh_from_db()
    return consent


def _path(person_id: int) -> str:
    return f"/api/v1/people/{person_id}/consents/"


def test_the_decision_in_force_per_purpose_and_every_decision_behind_it(
    in_varnamo: object, coordinator: User, admin: User
) -> None:
    child = PersonFactory.create(first_name="Omar", birth_year=timezone.localdate().year - 8)
    contact_given = _decided(child, ConsentPurpose.CONTACT, given=True, days_ago=30, recorded_by=coordinator)
    photos = _decided(
        child,
        ConsentPurpose.PHOTOS,
        given=True,
        days_ago=20,
        given_by_guardian=True,
        guardian_name="Samira Samtyckesson",
        recorded_by=coordinator,
    )
    # Recorded by an account that is gone since: the page names no one, nor does the API.
    sharing = _decided(child, ConsentPurpose.SHARING, given=True, days_ago=10, recorded_by=None)
    api = demo_api(Role.COORDINATOR)
    # Withdrawn through the API: a new decision, in force at once, recorded by the admin.
    withdrawn = demo_api(Role.ADMIN).post(
        f"/api/v1/people/{child.pk}/withdraw-consent/", {"purpose": "contact"}
    )
    assert withdrawn.status_code == 201

    response = api.get(_path(child.pk))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert set(answer) == {"in_force", "history"}
    in_force = {row["purpose"]: row["decision"] for row in answer["in_force"]}
    # Every purpose, in the order of the person's page; statistics was never asked.
    assert [row["purpose"] for row in answer["in_force"]] == ConsentPurpose.values
    assert in_force["statistics"] is None
    contact = in_force["contact"]
    assert (contact["id"], contact["given"], contact["recorded_by"], contact["recorded_by_name"]) == (
        withdrawn.json()["id"],
        False,
        admin.pk,
        admin.full_name,
    )
    assert in_force["photos"] == {
        "id": photos.pk,
        "purpose": "photos",
        "given": True,
        "given_by_guardian": True,
        "guardian_name": "Samira Samtyckesson",
        "recorded_at": in_force["photos"]["recorded_at"],
        "recorded_by": coordinator.pk,
        "recorded_by_name": coordinator.full_name,
    }
    assert dt.datetime.fromisoformat(in_force["photos"]["recorded_at"]) == photos.recorded_at
    assert (in_force["sharing"]["recorded_by"], in_force["sharing"]["recorded_by_name"]) == (None, None)
    # The history keeps the withdrawn decision too, newest first.
    assert [(row["id"], row["purpose"], row["given"]) for row in answer["history"]] == [
        (withdrawn.json()["id"], "contact", False),
        (sharing.pk, "sharing", True),
        (photos.pk, "photos", True),
        (contact_given.pk, "contact", True),
    ]


def test_someone_never_asked_has_no_decision_at_all(in_varnamo: object) -> None:
    person = PersonFactory.create()
    answer = demo_api(Role.ADMIN).get(_path(person.pk)).json()
    assert answer == {
        "in_force": [{"purpose": purpose, "decision": None} for purpose in ConsentPurpose.values],
        "history": [],
    }


def test_the_page_and_the_api_show_the_same_decision(
    client_as: Callable[[Role], Client], coordinator: User
) -> None:
    person = PersonFactory.create(first_name="Sida")
    _decided(person, ConsentPurpose.PHOTOS, given=True, days_ago=3, recorded_by=coordinator)
    _decided(person, ConsentPurpose.PHOTOS, given=False, days_ago=1, recorded_by=coordinator)
    page = client_as(Role.COORDINATOR).get(f"/staff/people/{person.pk}/").content.decode()
    # The page offers to withdraw only a consent in force as given: photos was withdrawn, there too.
    assert f"/staff/people/{person.pk}/consents/photos/withdraw/" not in page
    photos = next(
        row["decision"]
        for row in demo_api(Role.COORDINATOR).get(_path(person.pk)).json()["in_force"]
        if row["purpose"] == "photos"
    )
    assert photos["given"] is False


def test_the_roles_of_the_privacy_page_read_it_and_volunteers_do_not(
    in_varnamo: object, volunteer: User
) -> None:
    # A person the volunteer may see (registered in an activity they lead): still not their consent.
    activity = ActivityFactory.create()
    activity.leaders.add(volunteer)
    person = PersonFactory.create()
    RegistrationFactory.create(activity=activity, person=person)
    ConsentFactory.create(person=person)
    for role in (Role.ADMIN, Role.COORDINATOR):
        assert demo_api(role).get(_path(person.pk)).status_code == 200, role
    as_volunteer = demo_api(Role.VOLUNTEER)
    assert as_volunteer.get(f"/api/v1/people/{person.pk}/").status_code == 200
    refused = as_volunteer.get(_path(person.pk))
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    assert "given" not in refused.content.decode()


def test_anonymous_and_another_networks_token_get_401(in_varnamo: object) -> None:
    person = PersonFactory.create()
    ConsentFactory.create(person=person)
    with Municipality.objects.get(schema_name="vaggeryd"):
        outsider = api_token_create(
            user=User.objects.get(email="admin@vaggeryd.demo"), name="outsider"
        ).plaintext
    for api in (Api("varnamo", None), Api("varnamo", outsider)):
        response = api.get(_path(person.pk))
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401


def test_missing_anonymised_and_another_networks_person_are_the_same_404(in_varnamo: object) -> None:
    with Municipality.objects.get(schema_name="vaggeryd"):
        foreign = PersonFactory.create(pk=FOREIGN_ID, first_name="Utsocknes")
        ConsentFactory.create(person=foreign, guardian_name="Vaggeryds vårdnadshavare")
    assert not Person.objects.filter(pk=FOREIGN_ID).exists(), "the id must be Vaggeryd's only"
    erased = PersonFactory.create(erased_at=timezone.now())
    ConsentFactory.create(person=erased)
    api = demo_api(Role.ADMIN)
    for person_id in (foreign.pk, erased.pk, 999_999_999):
        response = api.get(_path(person_id))
        assert response.status_code == 404, person_id
        assert response.json()["error"]["code"] == "not_found"
        assert "Vaggeryds" not in response.content.decode()


def test_reading_costs_the_same_for_one_decision_or_twenty(in_varnamo: object) -> None:
    few, many = PersonFactory.create(), PersonFactory.create()
    ConsentFactory.create(person=few)
    for day in range(20):
        _decided(many, ConsentPurpose.values[day % 4], given=day % 2 == 0, days_ago=day)
    api = demo_api(Role.COORDINATOR)
    api.get("/api/v1/me/")  # the token's first use records its last-used time once; leave that out

    def queries(person: Person) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(_path(person.pk)).status_code == 200
        return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET search_path"))

    assert queries(few) == queries(many) <= 4  # token and user, the person, the decisions


def test_the_recorder_is_named_but_their_e_mail_address_never_given(in_varnamo: object) -> None:
    nameless = User.objects.create(email="utan.namn@varnamo.demo", role=Role.COORDINATOR, full_name="")
    person = PersonFactory.create(first_name="Lina")
    _decided(person, ConsentPurpose.CONTACT, given=True, days_ago=1, recorded_by=nameless)
    body = demo_api(Role.COORDINATOR).get(_path(person.pk)).content.decode()
    assert "utan.namn@varnamo.demo" not in body
    contact = next(row["decision"] for row in json.loads(body)["in_force"] if row["purpose"] == "contact")
    assert (contact["recorded_by"], contact["recorded_by_name"]) == (nameless.pk, "")
