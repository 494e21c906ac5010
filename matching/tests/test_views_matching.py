"""Matching and pathway pages: who gets in, what the coordinator does through them, fixed query counts.

Actors: the admin, coordinator and volunteer of Värnamo, an anonymous visitor, and an outsider signed in to
Vaggeryd who tries Värnamo's host.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from conftest import host, login, tenant_client
from matching.models import CheckIn, DistrictNeighbour, Match, MatchRequest, Pathway
from matching.services.matching import district_neighbour_add, match_activate, match_propose
from matching.services.pathways import pathway_create
from people.models import PersonGroup
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.matching_factories import (
    PartnerFactory,
    PersonFactory,
    consent,
    family,
    family_request,
    staff_user,
)

# The pages are checked against this file's own requests, matches and pathways: the demo's are set aside.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_matching")]
TODAY = timezone.localdate()


@pytest.fixture
def objects(in_varnamo: Municipality, coordinator: User) -> dict[str, int]:
    request = family_request(name="Haddad", languages=("ar", "sv"), interests=("football",))
    candidate = family_request(group=PersonGroup.ESTABLISHED, name="Johansson", languages=("sv",))
    waiting = family_request(group=PersonGroup.ESTABLISHED, name="Lind", interests=("football",))
    match = match_propose(actor=coordinator, match_request=request, candidate=candidate)
    match_activate(actor=coordinator, match=match)
    pathway = pathway_create(
        actor=coordinator,
        person=request.person,
        arena="club_life",
        goal="Football",
        partner=PartnerFactory.create(),
    )
    pair = district_neighbour_add(actor=coordinator, district="Centrum", neighbour="Mossle")
    newcomer = family_request(name="Ahmadi")
    return {
        "request": newcomer.pk,
        "candidate": waiting.pk,
        "match": match.pk,
        "check_in": match.check_ins.get(months=1).pk,
        "person": request.person_id,
        "pathway": pathway.pk,
        "pair": pair.pk,
    }


PAGES = [
    "/staff/matching/",
    "/staff/matching/requests/new/",
    "/staff/matching/requests/new/?q=Haddad",
    "/staff/matching/requests/new/?person={person}",
    "/staff/matching/requests/{request}/",
    "/staff/matching/people/{person}/opt-out/",
    "/staff/matching/matches/",
    "/staff/matching/matches/{match}/",
    "/staff/matching/follow-up/",
    "/staff/matching/districts/",
    "/staff/pathways/",
    "/staff/pathways/new/",
    "/staff/pathways/new/?q=Haddad",
    "/staff/pathways/new/?person={person}",
    "/staff/pathways/{pathway}/",
    "/staff/pathways/people/{person}/",
]
ACTIONS = [
    "/staff/matching/requests/{request}/propose/{candidate}/",
    "/staff/matching/requests/{request}/withdraw/",
    "/staff/matching/matches/{match}/activate/",
    "/staff/matching/matches/{match}/end/",
    "/staff/matching/matches/{match}/meeting/",
    "/staff/matching/matches/{match}/contacts/",
    "/staff/matching/matches/{match}/check-ins/{check_in}/done/",
    "/staff/matching/districts/{pair}/remove/",
    "/staff/pathways/{pathway}/stage/",
]


def outsider() -> Client:
    """Vaggeryd's coordinator, signed in on Vaggeryd, turning to Värnamo's host with the same cookies."""
    client = login("vaggeryd", Role.COORDINATOR)
    client.defaults["HTTP_HOST"] = host("varnamo")
    return client


CLIENTS: dict[str, Callable[[], Client]] = {
    "admin": lambda: login("varnamo", Role.ADMIN),
    "coordinator": lambda: login("varnamo", Role.COORDINATOR),
    "volunteer": lambda: login("varnamo", Role.VOLUNTEER),
    "anonymous": lambda: tenant_client("varnamo"),
    "outsider": outsider,
}


# One test per actor walks every page (rather than a test per page): the objects are made once per actor.
@pytest.mark.parametrize("actor", CLIENTS)
def test_only_admins_and_coordinators_see_matching_pages(objects: dict[str, int], actor: str) -> None:
    client = CLIENTS[actor]()
    for page in PAGES:
        path = page.format(**objects)
        response = client.get(path)
        if actor in ("admin", "coordinator"):
            assert response.status_code == 200, path
        elif actor == "volunteer":
            assert response.status_code == 403, path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/accounts/login/"), path


@pytest.mark.parametrize("actor", ["volunteer", "anonymous", "outsider"])
def test_others_cannot_act_and_nothing_changes(objects: dict[str, int], actor: str) -> None:
    client = CLIENTS[actor]()
    for action in ACTIONS:
        response = client.post(
            action.format(**objects), {"reason": "moved", "note": "x", "stage": "referred"}
        )
        assert response.status_code == (403 if actor == "volunteer" else 302), action
    tenant_connection().set_schema_to_public()
    with Municipality.objects.get(schema_name="varnamo"):
        assert Match.objects.get(pk=objects["match"]).status == "active"
        assert MatchRequest.objects.get(pk=objects["request"]).status == "open"
        assert DistrictNeighbour.objects.filter(pk=objects["pair"]).exists()
        assert Pathway.objects.get(pk=objects["pathway"]).stage == "interest"
        assert CheckIn.objects.get(pk=objects["check_in"]).status == "planned"


@pytest.fixture
def vaggeryd_ids(vaggeryd: Municipality) -> dict[str, int]:
    """Objects in Vaggeryd whose ids do not exist in Värnamo (Vaggeryd's sequences are moved far ahead)."""
    with vaggeryd:
        with connection.cursor() as cursor:
            for table in ("core_matchrequest", "core_match", "core_pathway", "core_person", "core_checkin"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 900000000)")
        coordinator = staff_user(Role.COORDINATOR)
        request = family_request()
        match = match_propose(
            actor=coordinator, match_request=request, candidate=family_request(group=PersonGroup.ESTABLISHED)
        )
        match_activate(actor=coordinator, match=match)
        pathway = pathway_create(actor=coordinator, person=request.person, arena="club_life", goal="Football")
        ids = {
            "request": family_request().pk,
            "candidate": family_request(group=PersonGroup.ESTABLISHED).pk,
            "match": match.pk,
            "check_in": match.check_ins.get(months=1).pk,
            "person": request.person_id,
            "pathway": pathway.pk,
        }
    tenant_connection().set_schema_to_public()
    return ids


def test_vaggeryd_ids_on_varnamos_host_are_not_found(vaggeryd_ids: dict[str, int]) -> None:
    varnamo, vaggeryd = login("varnamo", Role.COORDINATOR), login("vaggeryd", Role.COORDINATOR)
    for page in [p for p in PAGES if "{" in p]:
        path = page.format(**vaggeryd_ids)
        assert varnamo.get(path).status_code == 404, path
        # On its own host the same ids are there.
        assert vaggeryd.get(path).status_code == 200, path
    for action in [a for a in ACTIONS if "{pair}" not in a]:
        path = action.format(**vaggeryd_ids)
        assert varnamo.post(path, {"reason": "moved"}).status_code == 404, path


def test_the_menu_shows_matching_to_coordinators_only() -> None:
    assert "Matchning" in login("varnamo", Role.COORDINATOR).get("/staff/").content.decode()
    assert "Lotsning" in login("varnamo", Role.ADMIN).get("/staff/").content.decode()
    page = login("varnamo", Role.VOLUNTEER).get("/staff/").content.decode()
    assert "Matchning" not in page
    assert "Lotsning" not in page


# --- The coordinator's work through the pages ------------------------------------------------------------


def test_a_coordinator_puts_a_family_on_the_waiting_list_and_sees_why_candidates_fit(
    in_varnamo: Municipality, coordinator: User
) -> None:
    household, adult = family(name="Haddad", languages=("ar", "sv"), children_birth_years=(TODAY.year - 8,))
    established = family_request(
        group=PersonGroup.ESTABLISHED,
        name="Johansson",
        languages=("sv",),
        children_birth_years=(TODAY.year - 9,),
    )
    client = login("varnamo", Role.COORDINATOR)
    form = client.get(f"/staff/matching/requests/new/?person={adult.pk}")
    assert form.context["form"].initial["children_ages"] == "8"
    response = client.post(
        f"/staff/matching/requests/new/?person={adult.pk}",
        {
            "kind": "friend_family",
            "for_household": "on",
            "languages": "ar, sv",
            "interests": "Football, cooking",
            "children_ages": "8",
            "district": "Centrum",
            "availability": ["weekends"],
        },
    )
    tenant_connection().set_tenant(in_varnamo)
    request = MatchRequest.objects.get(person=adult)
    assert request.household == household
    assert request.interests == ["football", "cooking"]
    assert response["Location"] == f"/staff/matching/requests/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Johansson" in page
    assert "Gemensamma språk: Svenska" in page
    assert "Barn i liknande ålder: 8 &amp; 9" in page
    assert established.pk in [s.request.pk for s in client.get(response["Location"]).context["suggestions"]]


def test_bad_request_input_shows_an_error_and_writes_nothing(in_varnamo: Municipality) -> None:
    _, adult = family()
    response = login("varnamo", Role.COORDINATOR).post(
        f"/staff/matching/requests/new/?person={adult.pk}",
        {"kind": "friend_family", "children_ages": "four", "languages": "arabic"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv åldrar som heltal från 0 till 25, åtskilda med kommatecken." in page
    assert "Använd språkkoder med två eller tre bokstäver: arabic är ingen." in page
    tenant_connection().set_tenant(in_varnamo)
    assert not MatchRequest.objects.filter(person=adult).exists()


def test_a_refused_proposal_explains_itself(in_varnamo: Municipality) -> None:
    mine, same_group = family_request(), family_request()
    client = login("varnamo", Role.COORDINATOR)
    response = client.post(f"/staff/matching/requests/{mine.pk}/propose/{same_group.pk}/", follow=True)
    assert "En matchning parar en nyanländ med en etablerad person eller familj." in response.content.decode()
    tenant_connection().set_tenant(in_varnamo)
    assert not Match.objects.exists() or not Match.objects.filter(newcomer_request=mine).exists()


def test_a_coordinator_runs_a_match_from_proposal_to_end(in_varnamo: Municipality) -> None:
    mine = family_request(name="Haddad")
    theirs = family_request(group=PersonGroup.ESTABLISHED, name="Johansson")
    client = login("varnamo", Role.COORDINATOR)
    response = client.post(f"/staff/matching/requests/{mine.pk}/propose/{theirs.pk}/")
    tenant_connection().set_tenant(in_varnamo)
    match = Match.objects.get(newcomer_request=mine)
    assert response["Location"] == f"/staff/matching/matches/{match.pk}/"
    base = response["Location"]

    past = client.post(base + "meeting/", {"at": "2020-01-01T10:00", "place": "Café"})
    assert "Det första mötet måste bokas till en tid som ännu inte har varit." in past.content.decode()
    when = (timezone.localtime() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    client.post(base + "meeting/", {"at": when.strftime("%Y-%m-%dT%H:%M"), "place": "Stadsbiblioteket"})
    client.post(base + "activate/", {"started_on": TODAY.isoformat()})
    client.post(base + "contacts/", {"kind": "met", "happened_on": TODAY.isoformat(), "note": "Fika"})
    check_in = CheckIn.objects.get(match=match, months=1)
    client.post(base + f"check-ins/{check_in.pk}/done/", {"note": "Going well"})
    refused = client.post(base + "end/", {"reason": "other", "ended_on": TODAY.isoformat()})
    assert "Beskriv orsaken när den är ”annan”." in refused.content.decode()
    client.post(base + "end/", {"reason": "moved", "ended_on": TODAY.isoformat()})

    tenant_connection().set_tenant(in_varnamo)
    match.refresh_from_db()
    assert match.first_meeting_place == "Stadsbiblioteket"
    assert match.first_meeting_at == when
    assert (match.status, match.end_reason, match.started_on) == ("ended", "moved", TODAY)
    assert match.contacts.get().note == "Fika"
    assert CheckIn.objects.get(pk=check_in.pk).note == "Going well"
    page = client.get(base).content.decode()
    assert "Avslutad" in page
    assert "Stadsbiblioteket" in page


def test_a_coordinator_walks_a_pathway_and_a_jump_is_refused_on_the_page(in_varnamo: Municipality) -> None:
    _, adult = family(name="Haddad")
    club = PartnerFactory.create(name="IFK Värnamo")
    client = login("varnamo", Role.COORDINATOR)
    response = client.post(
        f"/staff/pathways/new/?person={adult.pk}",
        {
            "arena": "club_life",
            "goal": "Ungdomsfotboll",
            "partner": club.pk,
            "interest_on": TODAY.isoformat(),
        },
    )
    tenant_connection().set_tenant(in_varnamo)
    pathway = Pathway.objects.get(person=adult)
    jump = client.post(
        f"/staff/pathways/{pathway.pk}/stage/",
        {"stage": "established", "on": TODAY.isoformat(), "outcome": "club_member"},
    )
    assert (
        "En lotsning går från intresse till hänvisad först, inte direkt till etablerad."
        in jump.content.decode()
    )
    client.post(
        f"/staff/pathways/{pathway.pk}/stage/",
        {"stage": "referred", "on": TODAY.isoformat(), "partner": club.pk},
    )
    tenant_connection().set_tenant(in_varnamo)
    pathway.refresh_from_db()
    assert pathway.stage == "referred"
    person_page = client.get(f"/staff/pathways/people/{adult.pk}/").content.decode()
    assert "Ungdomsfotboll" in person_page
    assert "IFK Värnamo" in person_page
    assert "Hänvisad" in person_page
    assert response.status_code == 302


def test_a_protected_family_without_consent_is_told_it_cannot_be_introduced(in_varnamo: Municipality) -> None:
    mine = family_request(children_birth_years=(2016,))
    assert mine.household is not None
    child = mine.household.members.get(household_role="child")
    child.protected_identity = True
    child.save()
    page = login("varnamo", Role.COORDINATOR).get(f"/staff/matching/requests/{mine.pk}/").content.decode()
    assert "Någon i familjen har skyddad identitet och inget samtycke till delning gäller" in page
    tenant_connection().set_tenant(in_varnamo)
    consent(child, given=True)
    page = login("varnamo", Role.COORDINATOR).get(f"/staff/matching/requests/{mine.pk}/").content.decode()
    assert "Någon i familjen har skyddad identitet" not in page


def test_opting_out_through_the_page_is_recorded(in_varnamo: Municipality) -> None:
    request = family_request()
    client = login("varnamo", Role.COORDINATOR)
    client.post(
        f"/staff/matching/people/{request.person_id}/opt-out/", {"opted_out": "yes", "note": "Phoned"}
    )
    tenant_connection().set_tenant(in_varnamo)
    request.refresh_from_db()
    assert request.status == "withdrawn"
    page = client.get(f"/staff/matching/people/{request.person_id}/opt-out/").content.decode()
    assert "Gäller: vill inte bli matchad." in page


# --- Fixed query counts on list pages ---------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len([q for q in context.captured_queries if not q["sql"].startswith("SET search_path")])


@pytest.mark.parametrize(
    "path", ["/staff/matching/", "/staff/matching/matches/", "/staff/matching/follow-up/", "/staff/pathways/"]
)
def test_list_pages_do_not_grow_queries_with_rows(
    in_varnamo: Municipality, coordinator: User, path: str
) -> None:
    def add_rows() -> None:
        tenant_connection().set_tenant(in_varnamo)
        for _ in range(3):
            family_request()
            match = match_propose(
                actor=coordinator,
                match_request=family_request(),
                candidate=family_request(group=PersonGroup.ESTABLISHED),
                today=TODAY - dt.timedelta(days=60),
            )
            match_activate(actor=coordinator, match=match, started_on=TODAY - dt.timedelta(days=50))
            CheckIn.objects.filter(match=match).update(due_on=TODAY)
            pathway_create(
                actor=coordinator, person=PersonFactory.create(), arena="club_life", goal="Football"
            )

    client = login("varnamo", Role.COORDINATOR)
    add_rows()
    few = _queries(client, path)
    add_rows()
    assert _queries(client, path) == few
