"""Matching: requests, the suggestions' exclusions and ranking, match states, meetings, contacts, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from matching.models import (
    CheckIn,
    CheckInStatus,
    Match,
    MatchContact,
    MatchingOptOut,
    MatchRequest,
    MatchRequestSource,
    MatchRequestStatus,
    MatchStatus,
)
from matching.selectors.matching import candidate_requests, match_suggestions, matches_needing_follow_up
from matching.services.matching import (
    MATCH_TRANSITIONS,
    MatchingError,
    add_months,
    check_in_complete,
    check_in_reminders_send_due,
    district_neighbour_add,
    match_activate,
    match_contact_log,
    match_end,
    match_first_meeting_book,
    match_propose,
    match_request_create,
    match_request_withdraw,
    matching_opt_out_record,
)
from people.models import Gender, PersonGroup
from tests.support.matching_factories import (
    PersonFactory,
    assert_queries,
    consent,
    family,
    family_request,
    staff_user,
)

# Suggestions, follow-up lists and reminders are checked against this file's own requests and matches.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_matching")]
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English here; the Swedish ones are checked where a test says so."""
    with translation.override("en"):
        yield


def suggested(request: MatchRequest) -> list[int]:
    return [suggestion.request.pk for suggestion in match_suggestions(request.pk, 50)]


# --- Requests ---------------------------------------------------------------------------------------------


def test_a_family_request_takes_languages_children_and_district_from_the_family(in_varnamo: Any) -> None:
    household, adult = family(
        name="Haddad",
        district="Mossle",
        languages=("ar", "en"),
        interests=(" Football ", "cooking"),
        children_birth_years=(TODAY.year - 9, TODAY.year - 4),
    )
    partner = PersonFactory.create(household=household, group=PersonGroup.NEWCOMER, languages=["ku", "ar"])
    request = match_request_create(person=adult, household=household, kind="friend_family")
    assert request.group == PersonGroup.NEWCOMER
    assert request.languages == ["ar", "en", "ku"]
    assert request.interests == ["football", "cooking"]
    assert request.children_birth_years == [TODAY.year - 9, TODAY.year - 4]
    assert request.district == "Mossle"
    assert request.source == MatchRequestSource.STAFF
    assert partner.pk  # the second adult's language was included above


def test_the_public_sign_up_passes_childrens_ages_and_its_source(in_varnamo: Any) -> None:
    person = PersonFactory.create(group=PersonGroup.ESTABLISHED)
    request = match_request_create(
        person=person,
        kind="language_friend",
        children_ages=[7],
        availability=["weekends", "evenings"],
        preferences=["same_gender"],
        source=MatchRequestSource.PUBLIC,
    )
    assert request.children_birth_years == [TODAY.year - 7]
    # Stored in a fixed order whatever order was given.
    assert request.availability == ["evenings", "weekends"]
    assert request.created_by is None
    assert request.source == "public"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "pen_pal"}, "Choose what kind of match is wanted."),
        ({"children_ages": [30]}, "Children's ages must be between 0 and 25."),
        ({"availability": ["nights"]}, "Not a known time of the week: nights."),
        ({"preferences": ["rich"]}, "Not a known preference: rich."),
    ],
)
def test_bad_request_input_is_refused_and_writes_nothing(
    in_varnamo: Any, kwargs: dict[str, Any], message: str
) -> None:
    person = PersonFactory.create()
    arguments: dict[str, Any] = {"person": person, "kind": "language_friend", **kwargs}
    with pytest.raises(MatchingError, match=message):
        match_request_create(**arguments)
    assert not MatchRequest.objects.filter(person=person).exists()


def test_a_person_waits_once_per_kind(in_varnamo: Any) -> None:
    person = PersonFactory.create()
    match_request_create(person=person, kind="language_friend")
    with pytest.raises(MatchingError, match="already waiting"):
        match_request_create(person=person, kind="language_friend")
    match_request_create(person=person, kind="activity_buddy")


def test_a_request_for_a_household_needs_a_member_of_it(in_varnamo: Any) -> None:
    household, _ = family()
    stranger = PersonFactory.create()
    with pytest.raises(MatchingError, match="is not a member of the household"):
        match_request_create(person=stranger, household=household, kind="friend_family")


def test_opting_out_withdraws_waiting_requests_and_refuses_new_ones(
    in_varnamo: Any, coordinator: User
) -> None:
    person = PersonFactory.create()
    request = match_request_create(person=person, kind="language_friend")
    assert matching_opt_out_record(actor=coordinator, person=person, opted_out=True, note="Said no") == 1
    request.refresh_from_db()
    assert request.status == MatchRequestStatus.WITHDRAWN
    with pytest.raises(MatchingError, match="said no to being matched"):
        match_request_create(person=person, kind="language_friend")
    # Changing one's mind is recorded too: the newest decision is in force.
    matching_opt_out_record(actor=coordinator, person=person, opted_out=False)
    match_request_create(person=person, kind="language_friend")
    assert MatchingOptOut.objects.filter(person=person).count() == 2


def test_withdrawing_needs_a_reason_and_a_waiting_request(in_varnamo: Any, coordinator: User) -> None:
    request = family_request()
    with pytest.raises(MatchingError, match="Say why"):
        match_request_withdraw(actor=coordinator, match_request=request, reason="  ")
    match_request_withdraw(actor=coordinator, match_request=request, reason="Moved to Malmö")
    with pytest.raises(MatchingError, match="Only a waiting request"):
        match_request_withdraw(actor=coordinator, match_request=request, reason="again")


# --- Who is suggested -------------------------------------------------------------------------------------


def test_only_the_other_group_and_the_same_kind_are_suggested(in_varnamo: Any) -> None:
    newcomer = family_request()
    established = family_request(group=PersonGroup.ESTABLISHED)
    other_newcomer = family_request()
    other_kind = family_request(group=PersonGroup.ESTABLISHED, kind="activity_buddy")
    ids = suggested(newcomer)
    assert established.pk in ids
    assert other_newcomer.pk not in ids
    assert other_kind.pk not in ids


def test_never_someone_from_the_same_household(in_varnamo: Any) -> None:
    # A mixed family: one adult newcomer, one established, both asking for a language friend.
    household, newcomer_adult = family()
    established_adult = PersonFactory.create(household=household, group=PersonGroup.ESTABLISHED)
    mine = match_request_create(person=newcomer_adult, kind="language_friend")
    same_home = match_request_create(person=established_adult, kind="language_friend")
    outsider = match_request_create(
        person=PersonFactory.create(group=PersonGroup.ESTABLISHED), kind="language_friend"
    )
    assert suggested(mine) == [outsider.pk]
    assert same_home.pk not in suggested(mine)


def test_never_someone_who_opted_out(in_varnamo: Any, coordinator: User) -> None:
    mine = family_request()
    theirs = family_request(group=PersonGroup.ESTABLISHED)
    assert theirs.pk in suggested(mine)
    # Recorded directly (not through the service, which would also withdraw): the filter must hold alone.
    MatchingOptOut.objects.create(person=theirs.person, opted_out=True)
    assert theirs.pk not in suggested(mine)
    MatchingOptOut.objects.create(person=theirs.person, opted_out=False)
    assert theirs.pk in suggested(mine)


def test_protected_identity_only_with_sharing_consent_in_force(in_varnamo: Any) -> None:
    mine = family_request()
    theirs = family_request(group=PersonGroup.ESTABLISHED)
    theirs.person.protected_identity = True
    theirs.person.save()
    assert theirs.pk not in suggested(mine)
    consent(theirs.person, given=True)
    assert theirs.pk in suggested(mine)
    # The newest decision is in force: consent withdrawn.
    consent(theirs.person, given=False)
    assert theirs.pk not in suggested(mine)
    # Another purpose's consent does not count.
    consent(theirs.person, "photos", given=True)
    assert theirs.pk not in suggested(mine)


def test_a_protected_child_keeps_the_whole_family_out(in_varnamo: Any) -> None:
    mine = family_request()
    theirs = family_request(group=PersonGroup.ESTABLISHED, children_birth_years=(2015,))
    assert theirs.household is not None
    child = theirs.household.members.get(household_role="child")
    child.protected_identity = True
    child.save()
    assert theirs.pk not in suggested(mine)
    consent(child, given=True)
    assert theirs.pk in suggested(mine)


def test_a_same_gender_wish_is_never_broken_either_way(in_varnamo: Any) -> None:
    woman_asking = family_request(preferences=["same_gender"], gender=Gender.WOMAN)
    man = family_request(group=PersonGroup.ESTABLISHED, gender=Gender.MAN)
    woman = family_request(group=PersonGroup.ESTABLISHED, gender=Gender.WOMAN)
    assert suggested(woman_asking) == [woman.pk]
    man_asking = family_request(gender=Gender.MAN)
    woman_who_asked = family_request(
        group=PersonGroup.ESTABLISHED, gender=Gender.WOMAN, preferences=["same_gender"]
    )
    ids = suggested(man_asking)
    assert man.pk in ids
    assert woman_who_asked.pk not in ids


def test_no_time_of_the_week_in_common_is_no_match(in_varnamo: Any) -> None:
    mine = family_request(availability=["weekends"])
    weekdays = family_request(group=PersonGroup.ESTABLISHED, availability=["weekdays"])
    any_time = family_request(group=PersonGroup.ESTABLISHED)
    weekends = family_request(group=PersonGroup.ESTABLISHED, availability=["weekends", "evenings"])
    assert set(suggested(mine)) == {any_time.pk, weekends.pk}
    assert weekdays.pk not in suggested(mine)


def test_a_pair_that_was_matched_before_is_not_suggested_again(in_varnamo: Any, coordinator: User) -> None:
    mine = family_request()
    theirs = family_request(group=PersonGroup.ESTABLISHED)
    match = match_propose(actor=coordinator, match_request=mine, candidate=theirs)
    match_end(actor=coordinator, match=match, reason="declined")
    mine.refresh_from_db()
    assert mine.status == MatchRequestStatus.OPEN
    assert theirs.pk not in suggested(mine)


# --- Ranking ----------------------------------------------------------------------------------------------


def test_the_best_fit_comes_first_with_every_reason_and_its_points(in_varnamo: Any) -> None:
    district_neighbour_add(actor=staff_user(Role.COORDINATOR), district="Centrum", neighbour="Mossle")
    mine = family_request(
        languages=("ar", "sv"),
        interests=("football", "cooking"),
        children_birth_years=(2016,),
        district="Centrum",
        availability=["weekends"],
    )
    best = family_request(
        group=PersonGroup.ESTABLISHED,
        languages=("sv", "ar"),
        interests=("football",),
        children_birth_years=(2017,),
        district="Centrum",
        availability=["weekends"],
    )
    near = family_request(group=PersonGroup.ESTABLISHED, languages=("sv",), district="Mossle")
    far = family_request(group=PersonGroup.ESTABLISHED, languages=("en",), district="Bor")
    suggestions = match_suggestions(mine.pk, 10, today=TODAY)
    assert [s.request.pk for s in suggestions] == [best.pk, near.pk, far.pk]
    top = suggestions[0]
    points = {reason.code: reason.points for reason in top.reasons}
    assert points == {
        "languages": 30,
        "interests": 10,
        "children": 10,
        "same_district": 20,
        "availability": 5,
    }
    assert top.score == 75
    assert {reason.code: reason.points for reason in suggestions[1].reasons} == {
        "languages": 15,
        "near_district": 10,
    }
    assert suggestions[2].score == 0
    assert suggestions[2].reasons == ()


def test_ties_are_broken_by_id_so_the_same_data_gives_the_same_list(in_varnamo: Any) -> None:
    mine = family_request()
    same = [family_request(group=PersonGroup.ESTABLISHED) for _ in range(4)]
    first = match_suggestions(mine.pk, 10)
    assert [s.request.pk for s in first] == sorted(request.pk for request in same)
    assert [(s.request.pk, s.score) for s in match_suggestions(mine.pk, 10)] == [
        (s.request.pk, s.score) for s in first
    ]


def test_suggestions_take_a_fixed_number_of_queries(in_varnamo: Any) -> None:
    mine = family_request()
    for _ in range(15):
        family_request(group=PersonGroup.ESTABLISHED, children_birth_years=(2015,))
    # The request, its neighbouring districts, earlier matches, the candidates, the winners.
    with assert_queries(5):
        suggestions = match_suggestions(mine.pk, 10)
        assert [s.request.household.name for s in suggestions if s.request.household is not None]
    assert len(suggestions) == 10


def test_a_request_no_longer_waiting_gets_no_suggestions(in_varnamo: Any, coordinator: User) -> None:
    mine = family_request()
    family_request(group=PersonGroup.ESTABLISHED)
    match_request_withdraw(actor=coordinator, match_request=mine, reason="Found friends")
    assert match_suggestions(mine.pk, 10) == []


def test_districts_near_each_other_are_stored_once(in_varnamo: Any, coordinator: User) -> None:
    pair = district_neighbour_add(actor=coordinator, district="Mossle ", neighbour="centrum")
    assert (pair.district_a, pair.district_b) == ("centrum", "mossle")
    with pytest.raises(MatchingError, match="already marked"):
        district_neighbour_add(actor=coordinator, district="Centrum", neighbour="Mossle")
    with pytest.raises(MatchingError, match="not its own neighbour"):
        district_neighbour_add(actor=coordinator, district="Bor", neighbour="bor")


# --- Proposals --------------------------------------------------------------------------------------------


def test_proposing_pairs_a_newcomer_with_an_established_and_takes_both_off_the_list(
    in_varnamo: Any, coordinator: User
) -> None:
    established = family_request(group=PersonGroup.ESTABLISHED)
    newcomer = family_request()
    match = match_propose(actor=coordinator, match_request=established, candidate=newcomer)
    assert (match.newcomer_request, match.established_request) == (newcomer, established)
    assert match.status == MatchStatus.PROPOSED
    assert match.coordinator == coordinator
    assert match.proposed_on == TODAY
    assert set(
        MatchRequest.objects.filter(pk__in=[newcomer.pk, established.pk]).values_list("status", flat=True)
    ) == {MatchRequestStatus.MATCHED}


@pytest.mark.parametrize("rule", ["same_group", "opted_out", "protected", "same_gender", "taken"])
def test_a_proposal_breaking_a_rule_is_refused_with_the_reason(
    in_varnamo: Any, coordinator: User, rule: str
) -> None:
    mine = family_request(preferences=["same_gender"] if rule == "same_gender" else [])
    theirs = family_request(
        group=PersonGroup.NEWCOMER if rule == "same_group" else PersonGroup.ESTABLISHED,
        gender=Gender.MAN if rule == "same_gender" else Gender.WOMAN,
    )
    expected = {
        "same_group": "pairs a newcomer with an established",
        "opted_out": "does not want to be matched",
        "protected": "protected identity",
        "same_gender": "wishes do not fit together",
        "taken": "Both requests must be waiting",
    }[rule]
    if rule == "opted_out":
        MatchingOptOut.objects.create(person=theirs.person, opted_out=True)
    if rule == "protected":
        theirs.person.protected_identity = True
        theirs.person.save()
    if rule == "taken":
        match_propose(actor=coordinator, match_request=theirs, candidate=family_request())
    with pytest.raises(MatchingError, match=expected):
        match_propose(actor=coordinator, match_request=mine, candidate=theirs)
    assert not Match.objects.filter(newcomer_request=mine).exists()
    mine.refresh_from_db()
    assert mine.status == MatchRequestStatus.OPEN


# --- States -----------------------------------------------------------------------------------------------


def _match_in(status: str, coordinator: User) -> Match:
    match = match_propose(
        actor=coordinator,
        match_request=family_request(),
        candidate=family_request(group=PersonGroup.ESTABLISHED),
        today=TODAY - dt.timedelta(days=10),
    )
    if status in (MatchStatus.ACTIVE, MatchStatus.ENDED):
        match = match_activate(actor=coordinator, match=match, started_on=TODAY - dt.timedelta(days=5))
    if status == MatchStatus.ENDED:
        match = match_end(actor=coordinator, match=match, reason="moved")
    return match


def _move(match: Match, to: str, coordinator: User) -> Match:
    if to == MatchStatus.ACTIVE:
        return match_activate(actor=coordinator, match=match)
    if to == MatchStatus.ENDED:
        return match_end(actor=coordinator, match=match, reason="no_contact")
    # Proposing again means proposing the same pair: the requests are no longer waiting.
    return match_propose(
        actor=coordinator, match_request=match.newcomer_request, candidate=match.established_request
    )


ALL_CHANGES = [(before, after) for before in MatchStatus.values for after in MatchStatus.values]


@pytest.mark.parametrize(("before", "after"), ALL_CHANGES)
def test_every_match_state_change_is_allowed_or_refused_by_the_table(
    in_varnamo: Any, coordinator: User, before: str, after: str
) -> None:
    match = _match_in(before, coordinator)
    if after in MATCH_TRANSITIONS[before]:
        moved = _move(match, after, coordinator)
        assert moved.status == after
    else:
        with pytest.raises(MatchingError):
            _move(match, after, coordinator)
        match.refresh_from_db()
        assert match.status == before


def test_the_allowed_changes_are_exactly_propose_activate_end() -> None:
    assert {
        "proposed": {"active", "ended"},
        "active": {"ended"},
        "ended": set(),
    } == MATCH_TRANSITIONS


def test_a_forbidden_change_says_so_in_swedish(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ENDED, coordinator)
    with translation.override("sv"), pytest.raises(MatchingError) as error:
        match_activate(actor=coordinator, match=match)
    assert str(error.value) == "En matchning som är avslutad kan inte bli aktiv."


def test_activating_plans_check_ins_at_1_3_and_6_months(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.PROPOSED, coordinator)
    started = TODAY - dt.timedelta(days=3)
    match_activate(actor=coordinator, match=match, started_on=started)
    assert list(match.check_ins.values_list("months", "due_on", "status")) == [
        (1, add_months(started, 1), "planned"),
        (3, add_months(started, 3), "planned"),
        (6, add_months(started, 6), "planned"),
    ]


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        (TODAY + dt.timedelta(days=1), "cannot start in the future"),
        (TODAY - dt.timedelta(days=30), "before it was proposed"),
    ],
)
def test_a_start_date_must_be_plausible(
    in_varnamo: Any, coordinator: User, started_on: dt.date, message: str
) -> None:
    match = _match_in(MatchStatus.PROPOSED, coordinator)
    with pytest.raises(MatchingError, match=message):
        match_activate(actor=coordinator, match=match, started_on=started_on)
    assert not match.check_ins.exists()


def test_ending_needs_a_reason_and_cancels_open_check_ins(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    with pytest.raises(MatchingError, match="Choose why"):
        match_end(actor=coordinator, match=match, reason="")
    with pytest.raises(MatchingError, match="Describe the reason"):
        match_end(actor=coordinator, match=match, reason="other")
    match_end(actor=coordinator, match=match, reason="other", note="Family grew apart")
    assert set(match.check_ins.values_list("status", flat=True)) == {CheckInStatus.CANCELLED}
    # An active match that ends closes the requests: they do not go back on the list.
    assert match.newcomer_request.__class__.objects.get(pk=match.newcomer_request_id).status == "matched"


def test_first_meeting_is_booked_for_a_time_to_come(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.PROPOSED, coordinator)
    when = timezone.now() + dt.timedelta(days=4)
    with pytest.raises(MatchingError, match="still to come"):
        match_first_meeting_book(
            actor=coordinator, match=match, at=timezone.now() - dt.timedelta(hours=1), place="Café"
        )
    with pytest.raises(MatchingError, match="Say where"):
        match_first_meeting_book(actor=coordinator, match=match, at=when, place=" ")
    match = match_first_meeting_book(actor=coordinator, match=match, at=when, place="Stadsbiblioteket")
    assert (match.first_meeting_at, match.first_meeting_place) == (when, "Stadsbiblioteket")
    ended = _match_in(MatchStatus.ENDED, coordinator)
    with pytest.raises(MatchingError, match="has ended"):
        match_first_meeting_book(actor=coordinator, match=ended, at=when, place="Café")


def test_contacts_are_logged_until_the_match_ends(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    contact = match_contact_log(
        actor=coordinator, match=match, kind="phoned", happened_on=TODAY, note="All well"
    )
    assert contact.logged_by == coordinator
    with pytest.raises(MatchingError, match="in the future"):
        match_contact_log(
            actor=coordinator, match=match, kind="met", happened_on=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(MatchingError, match="what kind of contact"):
        match_contact_log(actor=coordinator, match=match, kind="emailed", happened_on=TODAY)
    match_end(actor=coordinator, match=match, reason="completed")
    with pytest.raises(MatchingError, match="has ended"):
        match_contact_log(actor=coordinator, match=match, kind="met", happened_on=TODAY)
    assert MatchContact.objects.filter(match=match).count() == 1


def test_a_quiet_pair_appears_on_the_follow_up_list_after_30_days(in_varnamo: Any, coordinator: User) -> None:
    match = match_propose(
        actor=coordinator,
        match_request=family_request(),
        candidate=family_request(group=PersonGroup.ESTABLISHED),
        today=TODAY - dt.timedelta(days=90),
    )
    match_activate(actor=coordinator, match=match, started_on=TODAY - dt.timedelta(days=80))
    day = TODAY - dt.timedelta(days=40)
    match_contact_log(actor=coordinator, match=match, kind="met", happened_on=day)

    def listed(today: dt.date) -> bool:
        return match.pk in {m.pk for m in matches_needing_follow_up(actor=coordinator, today=today)}

    assert listed(TODAY)  # 40 days quiet
    assert not listed(day + dt.timedelta(days=30))  # exactly 30 days: still within
    assert listed(day + dt.timedelta(days=31))
    match_contact_log(actor=coordinator, match=match, kind="activity", happened_on=TODAY)
    assert not listed(TODAY)


def test_a_new_active_pair_is_not_followed_up_before_30_days_from_its_start(
    in_varnamo: Any, coordinator: User
) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)  # started 5 days ago, nothing logged
    assert match not in matches_needing_follow_up(actor=coordinator, today=TODAY)
    assert match in matches_needing_follow_up(actor=coordinator, today=TODAY + dt.timedelta(days=26))


def test_a_check_in_is_done_with_a_note(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    check_in = match.check_ins.get(months=1)
    with pytest.raises(MatchingError, match="how the pair is doing"):
        check_in_complete(actor=coordinator, check_in=check_in, note="")
    check_in_complete(actor=coordinator, check_in=check_in, note="They meet every Sunday")
    with pytest.raises(MatchingError, match="not planned any more"):
        check_in_complete(actor=coordinator, check_in=check_in, note="again")


# --- Reminders --------------------------------------------------------------------------------------------


def test_a_due_check_in_reminds_the_pairs_coordinator_once(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    one_month = match.check_ins.get(months=1)
    assert check_in_reminders_send_due(today=one_month.due_on - dt.timedelta(days=1)) == 0
    assert check_in_reminders_send_due(today=one_month.due_on) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@varnamo.demo"]
    assert message.subject.startswith("Dags för uppföljning:")
    assert match.newcomer_request.household is not None
    assert match.newcomer_request.household.name in str(message.subject)
    assert f"/staff/matching/matches/{match.pk}/" in message.body
    assert "varnamo.localhost" in message.body
    assert "Värnamo" in message.body
    one_month.refresh_from_db()
    assert one_month.reminded_at is not None
    assert one_month.reminded_to == "coordinator@varnamo.demo"
    # The next run sends nothing again; the 3-month check-in waits for its day.
    assert check_in_reminders_send_due(today=one_month.due_on + dt.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_reminders_catch_up_after_missed_days_but_skip_ended_matches(
    in_varnamo: Any, coordinator: User
) -> None:
    running = _match_in(MatchStatus.ACTIVE, coordinator)
    ended = _match_in(MatchStatus.ACTIVE, coordinator)
    match_end(actor=coordinator, match=ended, reason="moved")
    six_months = running.check_ins.get(months=6).due_on
    assert check_in_reminders_send_due(today=six_months + dt.timedelta(days=10)) == 3
    assert {m.subject.rsplit(",", 1)[1].strip() for m in mail.outbox} == {"1 månad", "3 månader", "6 månader"}


def test_without_an_active_coordinator_every_admin_and_coordinator_is_reminded(
    in_varnamo: Any, coordinator: User
) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    Match.objects.filter(pk=match.pk).update(coordinator=None)
    check_in_reminders_send_due(today=match.check_ins.get(months=1).due_on)
    assert mail.outbox[0].to == ["admin@varnamo.demo", "coordinator@varnamo.demo"]


def test_a_reminder_never_names_a_family_with_protected_identity(in_varnamo: Any, coordinator: User) -> None:
    newcomer = family_request(name="Secretname")
    newcomer.person.protected_identity = True
    newcomer.person.save()
    consent(newcomer.person, given=True)
    match = match_propose(
        actor=coordinator, match_request=newcomer, candidate=family_request(group=PersonGroup.ESTABLISHED)
    )
    match_activate(actor=coordinator, match=match)
    check_in_reminders_send_due(today=add_months(TODAY, 1))
    message = mail.outbox[0]
    assert "Secretname" not in str(message.subject) + str(message.body)
    assert "en familj med skyddad identitet" in message.subject


def test_check_ins_exist_once_per_month_mark(in_varnamo: Any, coordinator: User) -> None:
    match = _match_in(MatchStatus.ACTIVE, coordinator)
    assert CheckIn.objects.filter(match=match).count() == 3


def test_candidate_requests_is_one_query(in_varnamo: Any) -> None:
    mine = family_request()
    family_request(group=PersonGroup.ESTABLISHED)
    mine = MatchRequest.objects.select_related("person").get(pk=mine.pk)
    with assert_queries(2):  # earlier matches, then the candidates
        assert len(list(candidate_requests(mine))) == 1
