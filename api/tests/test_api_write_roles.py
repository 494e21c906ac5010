"""Every write of the local network's API, role for role: the roles of the pages may, the others are refused
(403 in the one error shape, nothing changed), anonymous gets 401, another network's token 401, and a record
that is missing (or another network's: its ids do not exist here) 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import Arena, Project, Registration, RegistrationStatus, ReportingDate, Session
from api.services import api_token_create
from matching.models import (
    CheckIn,
    DistrictNeighbour,
    Match,
    MatchingOptOut,
    MatchKind,
    MatchRequest,
    Pathway,
)
from matching.services.matching import (
    district_neighbour_add,
    match_activate,
    match_propose,
    match_request_create,
)
from matching.services.pathways import pathway_create
from partners.models import Partner
from people.models import Consent, Household, Person, PersonGroup
from tenants.models import Municipality
from tests.support.api_clients import Api, demo_api
from tests.support.factories import (
    ActivityFactory,
    ConsentFactory,
    ProjectFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.support.people_factories import HouseholdFactory, PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADMIN_ONLY = {Role.ADMIN}
MANAGERS = {Role.ADMIN, Role.COORDINATOR}
ROLES = [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER]
IN_A_WEEK = timezone.localdate() + dt.timedelta(days=7)
MISSING = 999_999_999


@pytest.fixture
def world(in_varnamo: Municipality, coordinator: User, volunteer: User) -> SimpleNamespace:
    """One record of each kind a write needs, in a state where the write is allowed."""
    partner = PartnerFactory.create(name="Rollpartner IF")
    household = HouseholdFactory.create(name="Rollsson")
    adult = PersonFactory.create(first_name="Rolf", last_name="Rollsson", household=household)
    ConsentFactory.create(person=adult)
    loner = PersonFactory.create(first_name="Ensam", last_name="Rollsdotter", group=PersonGroup.ESTABLISHED)
    fresh = PersonFactory.create(first_name="Frida", last_name="Rollberg")
    activity = ActivityFactory.create(capacity=1)
    # The volunteer leads it, so sees its sessions: still, cancelling and moving are the managers'.
    activity.leaders.add(volunteer)
    session = SessionFactory.create(activity=activity, starts_at=timezone.now() + dt.timedelta(days=3))
    project = ProjectFactory.create()
    seat = RegistrationFactory.create(activity=activity, person=adult)
    RegistrationFactory.create(activity=activity, person=loner, status=RegistrationStatus.WAITLISTED)
    newcomer_request = match_request_create(person=adult, kind=MatchKind.LANGUAGE_FRIEND)
    established_request = match_request_create(person=loner, kind=MatchKind.LANGUAGE_FRIEND)
    pair = [
        match_request_create(person=PersonFactory.create(group=group), kind=MatchKind.ACTIVITY_BUDDY)
        for group in (PersonGroup.NEWCOMER, PersonGroup.ESTABLISHED)
    ]
    match = match_propose(actor=coordinator, match_request=pair[0], candidate=pair[1])
    friends = [
        match_request_create(person=PersonFactory.create(group=group), kind=MatchKind.FRIEND_FAMILY)
        for group in (PersonGroup.NEWCOMER, PersonGroup.ESTABLISHED)
    ]
    active = match_activate(
        actor=coordinator,
        match=match_propose(actor=coordinator, match_request=friends[0], candidate=friends[1]),
    )
    pathway = pathway_create(
        actor=coordinator, person=adult, arena=Arena.CLUB_LIFE, goal="Ungdomsfotboll", partner=partner
    )
    return SimpleNamespace(
        partner=partner,
        household=household,
        adult=adult,
        loner=loner,
        fresh=fresh,
        activity=activity,
        session=session,
        seat=seat,
        project=project,
        reporting_date=ReportingDate.objects.create(
            project=project, due_on=IN_A_WEEK, description="Lägesrapport"
        ),
        check_in=active.check_ins.order_by("due_on").first(),
        active=active,
        districts=district_neighbour_add(actor=coordinator, district="Rollnorr", neighbour="Rollsöder"),
        newcomer_request=newcomer_request,
        established_request=established_request,
        match=match,
        pathway=pathway,
    )


@dataclass(frozen=True)
class Write:
    name: str
    method: str
    path: Callable[[Any], str]
    body: Callable[[Any], Any]
    roles: set[Role]
    success: int
    # Counts something the write changes, to show that a refused write changed nothing.
    footprint: Callable[[Any], object]

    def __str__(self) -> str:
        return self.name


def _single_dates_activity(w: Any) -> dict[str, object]:
    return {
        "title": "Rollcafé",
        "category": "language_cafe",
        "schedule_kind": "single",
        "dates": [IN_A_WEEK.isoformat()],
        "start_time": "18:00",
        "end_time": "19:30",
    }


WRITES = [
    Write(
        "register a family",
        "POST",
        lambda w: "/api/v1/households/",
        lambda w: {
            "name": "Nyfamiljen",
            "group": "newcomer",
            "members": [{"first_name": "Nina", "birth_year": 1981}],
        },
        MANAGERS,
        201,
        lambda w: Household.objects.filter(name="Nyfamiljen").count(),
    ),
    Write(
        "change a household",
        "PATCH",
        lambda w: f"/api/v1/households/{w.household.pk}/",
        lambda w: {"district": "Norrmalm"},
        MANAGERS,
        200,
        lambda w: Household.objects.get(pk=w.household.pk).district,
    ),
    Write(
        "add a household member",
        "POST",
        lambda w: f"/api/v1/households/{w.household.pk}/members/",
        lambda w: {"person": w.fresh.pk},
        MANAGERS,
        200,
        lambda w: Person.objects.get(pk=w.fresh.pk).household_id,
    ),
    Write(
        "register a person",
        "POST",
        lambda w: "/api/v1/people/",
        lambda w: {"first_name": "Rollan", "last_name": "Rollqvist", "group": "newcomer", "birth_year": 1977},
        MANAGERS,
        201,
        lambda w: Person.objects.filter(last_name="Rollqvist").count(),
    ),
    Write(
        "change a person",
        "PATCH",
        lambda w: f"/api/v1/people/{w.adult.pk}/",
        lambda w: {"district": "Söder"},
        MANAGERS,
        200,
        lambda w: Person.objects.get(pk=w.adult.pk).district,
    ),
    Write(
        "take a person out of their household",
        "POST",
        lambda w: f"/api/v1/people/{w.adult.pk}/leave-household/",
        lambda w: None,
        MANAGERS,
        200,
        lambda w: Person.objects.get(pk=w.adult.pk).household_id,
    ),
    Write(
        "erase a person",
        "POST",
        lambda w: f"/api/v1/people/{w.fresh.pk}/erase/",
        lambda w: {"confirmation": "RADERA"},
        ADMIN_ONLY,
        204,
        lambda w: Person.objects.get(pk=w.fresh.pk).erased_at,
    ),
    Write(
        "add a partner",
        "POST",
        lambda w: "/api/v1/partners/",
        lambda w: {"name": "Nya Rollföreningen", "kind": "club", "contacts": [{"name": "Kim"}]},
        MANAGERS,
        201,
        lambda w: Partner.objects.filter(name="Nya Rollföreningen").count(),
    ),
    Write(
        "end the work with a partner",
        "PATCH",
        lambda w: f"/api/v1/partners/{w.partner.pk}/",
        lambda w: {"is_active": False},
        MANAGERS,
        200,
        lambda w: Partner.objects.get(pk=w.partner.pk).is_active,
    ),
    Write(
        "create an activity",
        "POST",
        lambda w: "/api/v1/activities/",
        _single_dates_activity,
        MANAGERS,
        201,
        lambda w: Session.objects.filter(activity__title="Rollcafé").count(),
    ),
    Write(
        "change an activity",
        "PATCH",
        lambda w: f"/api/v1/activities/{w.activity.pk}/",
        lambda w: {"capacity": 2},
        MANAGERS,
        200,
        lambda w: sorted(Registration.objects.filter(activity=w.activity).values_list("status", flat=True)),
    ),
    Write(
        "add a session",
        "POST",
        lambda w: f"/api/v1/activities/{w.activity.pk}/sessions/",
        lambda w: {"date": IN_A_WEEK.isoformat(), "start_time": "18:00", "end_time": "19:00"},
        MANAGERS,
        201,
        lambda w: Session.objects.filter(activity=w.activity).count(),
    ),
    Write(
        "cancel a session",
        "POST",
        lambda w: f"/api/v1/sessions/{w.session.pk}/cancel/",
        lambda w: {"reason": "Lokalen är upptagen"},
        MANAGERS,
        200,
        lambda w: Session.objects.get(pk=w.session.pk).status,
    ),
    Write(
        "move a session",
        "POST",
        lambda w: f"/api/v1/sessions/{w.session.pk}/move/",
        lambda w: {"date": IN_A_WEEK.isoformat(), "start_time": "10:00", "end_time": "11:00"},
        MANAGERS,
        200,
        lambda w: Session.objects.get(pk=w.session.pk).starts_at,
    ),
    Write(
        "create a project",
        "POST",
        lambda w: "/api/v1/projects/",
        lambda w: {
            "name": "Rollprojektet",
            "funder_kind": "arvsfonden",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "budget_sek": 350000,
            "activities": [w.activity.pk],
        },
        MANAGERS,
        201,
        lambda w: Project.objects.filter(name="Rollprojektet").count(),
    ),
    Write(
        "change a project",
        "PATCH",
        lambda w: f"/api/v1/projects/{w.project.pk}/",
        lambda w: {"activities": [w.activity.pk]},
        MANAGERS,
        200,
        lambda w: list(Project.objects.get(pk=w.project.pk).activities.values_list("pk", flat=True)),
    ),
    Write(
        "add a reporting date",
        "POST",
        lambda w: f"/api/v1/projects/{w.project.pk}/reporting-dates/",
        lambda w: {"due_on": IN_A_WEEK.isoformat(), "description": "Slutrapport"},
        MANAGERS,
        201,
        lambda w: ReportingDate.objects.filter(project=w.project).count(),
    ),
    Write(
        "mark a reporting date done",
        "POST",
        lambda w: f"/api/v1/projects/{w.project.pk}/reporting-dates/{w.reporting_date.pk}/done/",
        lambda w: {},
        MANAGERS,
        200,
        lambda w: ReportingDate.objects.get(pk=w.reporting_date.pk).done,
    ),
    Write(
        "cancel a registration",
        "POST",
        lambda w: f"/api/v1/registrations/{w.seat.pk}/cancel/",
        lambda w: None,
        MANAGERS,
        200,
        lambda w: sorted(Registration.objects.filter(activity=w.activity).values_list("status", flat=True)),
    ),
    Write(
        "put someone on the waiting list for a match",
        "POST",
        lambda w: "/api/v1/match-requests/",
        lambda w: {"person": w.fresh.pk, "kind": "language_friend"},
        MANAGERS,
        201,
        lambda w: MatchRequest.objects.filter(person=w.fresh).count(),
    ),
    Write(
        "withdraw a match request",
        "POST",
        lambda w: f"/api/v1/match-requests/{w.newcomer_request.pk}/withdraw/",
        lambda w: {"reason": "Har flyttat"},
        MANAGERS,
        200,
        lambda w: MatchRequest.objects.get(pk=w.newcomer_request.pk).status,
    ),
    Write(
        "propose a match",
        "POST",
        lambda w: "/api/v1/matches/",
        lambda w: {"match_request": w.newcomer_request.pk, "candidate": w.established_request.pk},
        MANAGERS,
        201,
        lambda w: Match.objects.count(),
    ),
    Write(
        "start a match",
        "POST",
        lambda w: f"/api/v1/matches/{w.match.pk}/activate/",
        lambda w: {},
        MANAGERS,
        200,
        lambda w: Match.objects.get(pk=w.match.pk).status,
    ),
    Write(
        "end a match",
        "POST",
        lambda w: f"/api/v1/matches/{w.match.pk}/end/",
        lambda w: {"reason": "declined"},
        MANAGERS,
        200,
        lambda w: Match.objects.get(pk=w.match.pk).status,
    ),
    Write(
        "book the first meeting",
        "POST",
        lambda w: f"/api/v1/matches/{w.match.pk}/first-meeting/",
        lambda w: {"at": f"{IN_A_WEEK.isoformat()}T17:00:00+02:00", "place": "Stadsbiblioteket"},
        MANAGERS,
        200,
        lambda w: Match.objects.get(pk=w.match.pk).first_meeting_place,
    ),
    Write(
        "log a contact of a pair",
        "POST",
        lambda w: f"/api/v1/matches/{w.match.pk}/contacts/",
        lambda w: {"kind": "met", "note": "Fika"},
        MANAGERS,
        201,
        lambda w: w.match.contacts.count(),
    ),
    Write(
        "note a check-in as done",
        "POST",
        lambda w: f"/api/v1/matches/{w.active.pk}/check-ins/{w.check_in.pk}/done/",
        lambda w: {"note": "De träffas varje vecka"},
        MANAGERS,
        200,
        lambda w: CheckIn.objects.get(pk=w.check_in.pk).status,
    ),
    Write(
        "record that someone does not want to be matched",
        "POST",
        lambda w: f"/api/v1/people/{w.loner.pk}/matching-opt-out/",
        lambda w: {"opted_out": True, "note": "Sa nej i telefon"},
        MANAGERS,
        201,
        lambda w: MatchingOptOut.objects.filter(person=w.loner).count(),
    ),
    Write(
        "withdraw a consent",
        "POST",
        lambda w: f"/api/v1/people/{w.adult.pk}/withdraw-consent/",
        lambda w: {"purpose": "contact"},
        MANAGERS,
        201,
        lambda w: Consent.objects.filter(person=w.adult).count(),
    ),
    Write(
        "mark two districts as near",
        "POST",
        lambda w: "/api/v1/district-neighbours/",
        lambda w: {"district": "Rollväster", "neighbour": "Rollöster"},
        MANAGERS,
        201,
        lambda w: DistrictNeighbour.objects.count(),
    ),
    Write(
        "unmark two districts",
        "DELETE",
        lambda w: f"/api/v1/district-neighbours/{w.districts.pk}/",
        lambda w: None,
        MANAGERS,
        204,
        lambda w: DistrictNeighbour.objects.count(),
    ),
    Write(
        "start a pathway",
        "POST",
        lambda w: "/api/v1/pathways/",
        lambda w: {"person": w.loner.pk, "arena": "working_life", "goal": "Jobb inom vården"},
        MANAGERS,
        201,
        lambda w: Pathway.objects.filter(person=w.loner).count(),
    ),
    Write(
        "move a pathway on",
        "POST",
        lambda w: f"/api/v1/pathways/{w.pathway.pk}/stage/",
        lambda w: {"stage": "referred"},
        MANAGERS,
        200,
        lambda w: Pathway.objects.get(pk=w.pathway.pk).stage,
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_each_write_lets_in_the_roles_of_the_pages_and_refuses_the_others(
    write: Write, world: SimpleNamespace
) -> None:
    for role in ROLES:
        # Each role meets the same world: what one role's write changed is rolled back before the next.
        with transaction.atomic():
            before = write.footprint(world)
            response = demo_api(role).send(write.method, write.path(world), write.body(world))
            if role in write.roles:
                assert response.status_code == write.success, (role, response.status_code, response.content)
                assert write.footprint(world) != before, role
            else:
                assert response.status_code == 403, (role, response.content)
                assert response.json()["error"]["status"] == 403
                assert write.footprint(world) == before, role
            transaction.set_rollback(True)


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_each_write_refuses_anonymous_and_another_networks_token(
    write: Write, world: SimpleNamespace
) -> None:
    before = write.footprint(world)
    vaggeryd = Municipality.objects.get(schema_name="vaggeryd")
    with vaggeryd:
        outsider = api_token_create(
            user=User.objects.get(email="admin@vaggeryd.demo"), name="outsider"
        ).plaintext
    for api in (Api("varnamo", None), Api("varnamo", outsider)):
        response = api.send(write.method, write.path(world), write.body(world))
        assert response.status_code == 401, response.content
        assert response.json()["error"]["status"] == 401
    assert write.footprint(world) == before


class Missing:
    """Stands for the world with every record missing: each has an id that exists nowhere."""

    def __getattr__(self, name: str) -> SimpleNamespace:
        return SimpleNamespace(pk=MISSING)


ON_A_RECORD = [write for write in WRITES if str(MISSING) in write.path(Missing())]


@pytest.mark.parametrize("write", ON_A_RECORD, ids=str)
def test_a_missing_record_is_404_before_the_body_is_looked_at(write: Write, world: SimpleNamespace) -> None:
    # Another network's records do not exist in this schema: "not yours" and "missing" are the same 404.
    for body in (write.body(world), {"nonsense": True}):
        response = demo_api(Role.ADMIN).send(write.method, write.path(Missing()), body)
        assert response.status_code == 404, (write, response.content)
        assert response.json()["error"]["code"] == "not_found"
