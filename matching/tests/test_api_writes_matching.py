"""Matching and pathways through the API: the matching and pathway services decide, so a match moves
proposed → active → ended and a pathway one stage at a time, check-ins are noted once, a person's no to
being matched withdraws their waiting requests, and neighbouring districts are stored once, exactly as on
the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from matching.models import (
    CheckIn,
    CheckInStatus,
    DistrictNeighbour,
    Match,
    MatchKind,
    MatchRequest,
    MatchRequestStatus,
    MatchStatus,
    Pathway,
    PathwayStage,
)
from matching.services.matching import (
    district_neighbour_add,
    match_activate,
    match_propose,
    match_request_create,
    matching_opt_out_record,
)
from people.models import PersonGroup
from tests.support.api_clients import demo_api
from tests.support.matching_factories import PartnerFactory, PersonFactory, family

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_a_family_is_put_on_the_waiting_list_with_what_is_known_of_it(in_varnamo: object) -> None:
    household, adult = family(
        name="Apimatch", district="Söder", languages=("ar",), children_birth_years=(2018,)
    )
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/match-requests/",
        {"person": adult.pk, "kind": "friend_family", "for_household": True, "availability": ["weekends"]},
    )
    assert response.status_code == 201, response.content
    request = response.json()
    assert (request["household"], request["group"], request["status"]) == (household.pk, "newcomer", "open")
    assert (request["languages"], request["district"], request["children_birth_years"]) == (
        ["ar"],
        "Söder",
        [2018],
    )
    again = demo_api(Role.COORDINATOR).post(
        "/api/v1/match-requests/", {"person": adult.pk, "kind": "friend_family", "for_household": True}
    )
    assert again.status_code == 409
    assert MatchRequest.objects.filter(household=household).count() == 1


def test_a_family_request_needs_a_family(in_varnamo: object) -> None:
    person = PersonFactory.create(first_name="Utan", last_name="Familj")
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/match-requests/", {"person": person.pk, "kind": "friend_family", "for_household": True}
    )
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"for_household": ["Utan Familj tillhör inget hushåll."]}
    assert not MatchRequest.objects.filter(person=person).exists()


def test_someone_who_said_no_to_matching_is_refused(in_varnamo: object, coordinator: User) -> None:
    person = PersonFactory.create()
    matching_opt_out_record(actor=coordinator, person=person, opted_out=True)
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/match-requests/", {"person": person.pk, "kind": "language_friend"}
    )
    assert response.status_code == 409
    assert "nej" in response.json()["error"]["message"]
    assert not MatchRequest.objects.filter(person=person).exists()


def test_a_waiting_request_is_withdrawn_once_with_a_reason(in_varnamo: object) -> None:
    request = match_request_create(person=PersonFactory.create(), kind=MatchKind.LANGUAGE_FRIEND)
    api = demo_api(Role.ADMIN)
    path = f"/api/v1/match-requests/{request.pk}/withdraw/"
    assert api.post(path, {"reason": "  "}).status_code == 409
    assert api.post(path, {}).status_code == 400
    withdrawn = api.post(path, {"reason": "Har flyttat"})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawn_reason"]) == ("withdrawn", "Har flyttat")
    assert api.post(path, {"reason": "Igen"}).status_code == 409


def _pair() -> tuple[MatchRequest, MatchRequest]:
    newcomer = match_request_create(
        person=PersonFactory.create(group=PersonGroup.NEWCOMER), kind=MatchKind.LANGUAGE_FRIEND
    )
    established = match_request_create(
        person=PersonFactory.create(group=PersonGroup.ESTABLISHED), kind=MatchKind.LANGUAGE_FRIEND
    )
    return newcomer, established


def test_a_match_goes_from_proposal_to_active_to_ended(in_varnamo: object, coordinator: User) -> None:
    newcomer, established = _pair()
    api = demo_api(Role.COORDINATOR)
    proposed = api.post("/api/v1/matches/", {"match_request": established.pk, "candidate": newcomer.pk})
    assert proposed.status_code == 201, proposed.content
    match = proposed.json()
    assert (match["newcomer_request"], match["established_request"]) == (newcomer.pk, established.pk)
    assert (match["status"], match["coordinator"], match["end_reason"]) == ("proposed", coordinator.pk, "")
    path = f"/api/v1/matches/{match['id']}"
    at = f"{(TODAY + dt.timedelta(days=5)).isoformat()}T17:30:00+01:00"
    booked = api.post(f"{path}/first-meeting/", {"at": at, "place": "Biblioteket"})
    assert booked.status_code == 200
    assert booked.json()["first_meeting_place"] == "Biblioteket"
    active = api.post(f"{path}/activate/", {})
    assert (active.json()["status"], active.json()["started_on"]) == ("active", TODAY.isoformat())
    assert CheckIn.objects.filter(match_id=match["id"]).count() == 3
    assert api.post(f"{path}/activate/", {}).status_code == 409
    contact = api.post(f"{path}/contacts/", {"kind": "phoned", "note": "Bra samtal"})
    assert contact.status_code == 201
    assert (contact.json()["match"], contact.json()["happened_on"]) == (match["id"], TODAY.isoformat())
    assert api.get(f"{path}/").json()["last_contact_on"] == TODAY.isoformat()
    unexplained = api.post(f"{path}/end/", {"reason": "other"})
    assert unexplained.status_code == 409
    assert Match.objects.get(pk=match["id"]).status == MatchStatus.ACTIVE
    ended = api.post(f"{path}/end/", {"reason": "completed"})
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "completed")
    assert api.post(f"{path}/contacts/", {"kind": "met"}).status_code == 409
    assert MatchRequest.objects.get(pk=newcomer.pk).status == MatchRequestStatus.MATCHED


def test_a_declined_proposal_puts_both_back_on_the_waiting_list(
    in_varnamo: object, coordinator: User
) -> None:
    newcomer, established = _pair()
    match = match_propose(actor=coordinator, match_request=newcomer, candidate=established)
    response = demo_api(Role.ADMIN).post(f"/api/v1/matches/{match.pk}/end/", {"reason": "declined"})
    assert response.status_code == 200
    assert set(
        MatchRequest.objects.filter(pk__in=[newcomer.pk, established.pk]).values_list("status", flat=True)
    ) == {MatchRequestStatus.OPEN}


def test_the_suggestion_rules_hold_for_a_proposal(in_varnamo: object) -> None:
    _household, adult = family(group=PersonGroup.NEWCOMER)
    same_group = match_request_create(person=adult, kind=MatchKind.LANGUAGE_FRIEND)
    other = match_request_create(
        person=PersonFactory.create(group=PersonGroup.NEWCOMER), kind=MatchKind.LANGUAGE_FRIEND
    )
    api = demo_api(Role.COORDINATOR)
    count = Match.objects.count()
    refused = api.post("/api/v1/matches/", {"match_request": same_group.pk, "candidate": other.pk})
    assert refused.status_code == 409
    assert Match.objects.count() == count
    assert MatchRequest.objects.get(pk=same_group.pk).status == MatchRequestStatus.OPEN
    missing = api.post("/api/v1/matches/", {"match_request": same_group.pk, "candidate": 999_999_999})
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Matchningsförfrågan finns inte."


def test_a_first_meeting_in_the_past_is_refused(in_varnamo: object, coordinator: User) -> None:
    newcomer, established = _pair()
    match = match_propose(actor=coordinator, match_request=newcomer, candidate=established)
    response = demo_api(Role.COORDINATOR).post(
        f"/api/v1/matches/{match.pk}/first-meeting/", {"at": "2001-01-01T10:00:00Z", "place": "Torget"}
    )
    assert response.status_code == 409
    assert Match.objects.get(pk=match.pk).first_meeting_at is None


def test_a_pathway_moves_one_stage_at_a_time_and_ends_with_a_reason(in_varnamo: object) -> None:
    person = PersonFactory.create()
    partner = PartnerFactory.create()
    api = demo_api(Role.COORDINATOR)
    made = api.post("/api/v1/pathways/", {"person": person.pk, "arena": "club_life", "goal": "Innebandy"})
    assert made.status_code == 201, made.content
    pathway = made.json()
    assert (pathway["stage"], pathway["outcome"], pathway["end_reason"]) == ("interest", "", "")
    stage = f"/api/v1/pathways/{pathway['id']}/stage/"
    skipped = api.post(stage, {"stage": "started", "partner": partner.pk})
    assert skipped.status_code == 409
    assert "hänvisad" in skipped.json()["error"]["message"].lower()
    no_partner = api.post(stage, {"stage": "referred"})
    assert no_partner.status_code == 409
    assert Pathway.objects.get(pk=pathway["id"]).stage == PathwayStage.INTEREST
    referred = api.post(stage, {"stage": "referred", "partner": partner.pk})
    assert (referred.json()["stage"], referred.json()["partner"]) == ("referred", partner.pk)
    assert api.post(stage, {"stage": "ended"}).status_code == 409  # a reason is needed
    ended = api.post(stage, {"stage": "ended", "end_reason": "lost_interest"})
    assert (ended.json()["stage"], ended.json()["end_reason"]) == ("ended", "lost_interest")
    assert api.post(stage, {"stage": "started"}).status_code == 409
    again = api.post("/api/v1/pathways/", {"person": person.pk, "arena": "club_life", "goal": "Ny chans"})
    assert again.status_code == 201  # ended: a new try is a new pathway


def test_an_established_pathway_needs_its_outcome(in_varnamo: object) -> None:
    partner = PartnerFactory.create()
    api = demo_api(Role.ADMIN)
    pathway = api.post(
        "/api/v1/pathways/",
        {"person": PersonFactory.create().pk, "arena": "working_life", "goal": "Jobb", "partner": partner.pk},
    ).json()
    stage = f"/api/v1/pathways/{pathway['id']}/stage/"
    api.post(stage, {"stage": "referred"})
    api.post(stage, {"stage": "started"})
    assert api.post(stage, {"stage": "established"}).status_code == 409
    done = api.post(stage, {"stage": "established", "outcome": "job"})
    assert (done.json()["stage"], done.json()["outcome"]) == ("established", "job")
    assert api.post(stage, {"stage": "interest"}).status_code == 400  # not a next stage at all


def test_an_inactive_partner_is_not_offered_for_a_pathway(in_varnamo: object) -> None:
    response = demo_api(Role.COORDINATOR).post(
        "/api/v1/pathways/",
        {
            "person": PersonFactory.create().pk,
            "arena": "club_life",
            "goal": "Fotboll",
            "partner": PartnerFactory.create(is_active=False).pk,
        },
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Samarbetspartnern finns inte."


def _active_match(coordinator: User) -> Match:
    newcomer, established = _pair()
    match = match_propose(actor=coordinator, match_request=newcomer, candidate=established)
    return match_activate(actor=coordinator, match=match)


def test_a_matchs_check_ins_are_listed_and_noted_once(in_varnamo: object, coordinator: User) -> None:
    match = _active_match(coordinator)
    api = demo_api(Role.COORDINATOR)
    listed = api.get(f"/api/v1/matches/{match.pk}/check-ins/")
    assert listed.status_code == 200
    assert [(row["months"], row["status"]) for row in listed.json()] == [
        (1, "planned"),
        (3, "planned"),
        (6, "planned"),
    ]
    first = listed.json()[0]["id"]
    path = f"/api/v1/matches/{match.pk}/check-ins/{first}/done/"
    missing = api.post(path, {})
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"note": ["Det här fältet måste fyllas i."]}
    blank = api.post(path, {"note": "   "})
    assert blank.status_code == 409
    assert blank.json()["error"]["message"] == "Skriv hur det går för paret."
    assert CheckIn.objects.get(pk=first).status == CheckInStatus.PLANNED
    done = api.post(path, {"note": " De träffas varje vecka "})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["done_on"], done.json()["note"]) == (
        "done",
        TODAY.isoformat(),
        "De träffas varje vecka",
    )
    again = api.post(path, {"note": "Igen"})
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "Den här uppföljningen är inte planerad längre."
    assert CheckIn.objects.get(pk=first).note == "De träffas varje vecka"


def test_a_check_in_is_reached_through_its_own_match(in_varnamo: object, coordinator: User) -> None:
    match, other = _active_match(coordinator), _active_match(coordinator)
    check_in = other.check_ins.order_by("due_on").first()
    assert check_in is not None
    api = demo_api(Role.ADMIN)
    response = api.post(f"/api/v1/matches/{match.pk}/check-ins/{check_in.pk}/done/", {"note": "Bra"})
    assert response.status_code == 404
    assert CheckIn.objects.get(pk=check_in.pk).status == CheckInStatus.PLANNED
    assert api.get("/api/v1/matches/999999999/check-ins/").status_code == 404


def test_volunteers_neither_see_nor_note_check_ins(in_varnamo: object, coordinator: User) -> None:
    match = _active_match(coordinator)
    check_in = match.check_ins.order_by("due_on").first()
    assert check_in is not None
    api = demo_api(Role.VOLUNTEER)
    assert api.get(f"/api/v1/matches/{match.pk}/check-ins/").status_code == 403
    done = api.post(f"/api/v1/matches/{match.pk}/check-ins/{check_in.pk}/done/", {"note": "Bra"})
    assert done.status_code == 403
    assert CheckIn.objects.get(pk=check_in.pk).status == CheckInStatus.PLANNED


def test_saying_no_to_matching_withdraws_the_waiting_requests_and_saying_yes_again_is_recorded(
    in_varnamo: object, coordinator: User
) -> None:
    person = PersonFactory.create()
    waiting = match_request_create(person=person, kind=MatchKind.LANGUAGE_FRIEND)
    api = demo_api(Role.COORDINATOR)
    path = f"/api/v1/people/{person.pk}/matching-opt-out/"
    assert api.get(path).json() == {"opted_out": False, "history": []}
    missing = api.post(path, {"note": "Sa nej"})
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"opted_out": ["Det här fältet måste fyllas i."]}
    said_no = api.post(path, {"opted_out": True, "note": " Sa nej i telefon "})
    assert said_no.status_code == 201, said_no.content
    answer = said_no.json()
    assert (answer["opted_out"], answer["withdrawn_requests"]) == (True, 1)
    assert [(row["opted_out"], row["note"], row["recorded_by"]) for row in answer["history"]] == [
        (True, "Sa nej i telefon", coordinator.pk)
    ]
    assert MatchRequest.objects.get(pk=waiting.pk).status == MatchRequestStatus.WITHDRAWN
    refused = api.post("/api/v1/match-requests/", {"person": person.pk, "kind": "language_friend"})
    assert refused.status_code == 409
    said_yes = api.post(path, {"opted_out": False})
    assert (said_yes.json()["opted_out"], said_yes.json()["withdrawn_requests"]) == (False, 0)
    history = api.get(path).json()["history"]
    assert [row["opted_out"] for row in history] == [False, True]  # newest first
    again = api.post("/api/v1/match-requests/", {"person": person.pk, "kind": "language_friend"})
    assert again.status_code == 201


def test_matching_decisions_are_the_managers_and_never_an_anonymised_persons(in_varnamo: object) -> None:
    person = PersonFactory.create()
    path = f"/api/v1/people/{person.pk}/matching-opt-out/"
    volunteer = demo_api(Role.VOLUNTEER)
    assert volunteer.get(path).status_code == 403
    assert volunteer.post(path, {"opted_out": True}).status_code == 403
    person.erased_at = timezone.now()
    person.save(update_fields=["erased_at"])
    admin = demo_api(Role.ADMIN)
    assert admin.get(path).status_code == 404
    assert admin.post(path, {"opted_out": True}).status_code == 404
    assert not person.matching_opt_outs.exists()


def test_neighbouring_districts_are_stored_once_read_both_ways_and_removed(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    added = api.post("/api/v1/district-neighbours/", {"district": " Apinorr ", "neighbour": "APICENTRUM"})
    assert added.status_code == 201, added.content
    assert (added.json()["district_a"], added.json()["district_b"]) == ("apicentrum", "apinorr")
    twice = api.post("/api/v1/district-neighbours/", {"district": "apicentrum", "neighbour": "Apinorr"})
    assert twice.status_code == 409
    assert twice.json()["error"]["message"] == "De här områdena är redan markerade som närliggande."
    itself = api.post("/api/v1/district-neighbours/", {"district": "Apinorr", "neighbour": "apinorr"})
    assert itself.json()["error"]["message"] == "Ett område är inte sin egen granne."
    blank = api.post("/api/v1/district-neighbours/", {"district": "  ", "neighbour": "Apinorr"})
    assert blank.status_code == 409
    missing = api.post("/api/v1/district-neighbours/", {"district": "Apinorr"})
    assert missing.json()["error"]["fields"] == {"neighbour": ["Det här fältet måste fyllas i."]}
    assert DistrictNeighbour.objects.filter(district_b="apinorr").count() == 1
    listed = api.get("/api/v1/district-neighbours/", search="apinorr").json()["results"]
    assert [row["id"] for row in listed] == [added.json()["id"]]
    path = f"/api/v1/district-neighbours/{added.json()['id']}/"
    assert api.delete(path).status_code == 204
    assert not DistrictNeighbour.objects.filter(district_b="apinorr").exists()
    assert api.delete(path).status_code == 404


def test_volunteers_neither_see_nor_change_neighbouring_districts(
    in_varnamo: object, coordinator: User
) -> None:
    pair = district_neighbour_add(actor=coordinator, district="Apiväster", neighbour="Apiöster")
    api = demo_api(Role.VOLUNTEER)
    assert api.get("/api/v1/district-neighbours/").status_code == 403
    assert api.post("/api/v1/district-neighbours/", {"district": "A", "neighbour": "B"}).status_code == 403
    assert api.delete(f"/api/v1/district-neighbours/{pair.pk}/").status_code == 403
    assert DistrictNeighbour.objects.filter(pk=pair.pk).exists()
