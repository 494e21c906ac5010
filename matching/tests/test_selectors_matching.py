"""The matching lists the pages and the API share: every request, a match's check-ins, a person's decisions
about being matched. Managers only, as every matching read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from matching.choices import MatchRequestStatus
from matching.selectors.matching import (
    match_check_ins,
    match_requests_for_user,
    matching_opt_out_history,
    open_match_requests,
)
from matching.services.matching import (
    match_activate,
    match_propose,
    match_request_withdraw,
    matching_opt_out_record,
)
from matching.tests.factories import family_request
from people.choices import PersonGroup
from people.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_without_matching")]
TODAY = timezone.localdate()


def test_every_request_is_listed_waiting_matched_or_withdrawn_longest_waiting_first(
    in_varnamo: Any, coordinator: User, volunteer: User
) -> None:
    waiting = family_request()
    matched = family_request()
    match_propose(
        actor=coordinator, match_request=matched, candidate=family_request(group=PersonGroup.ESTABLISHED)
    )
    withdrawn = family_request()
    match_request_withdraw(actor=coordinator, match_request=withdrawn, reason="Moved")
    every = list(match_requests_for_user(actor=coordinator))
    assert [request.pk for request in every[:2]] == [waiting.pk, matched.pk]
    assert {request.status for request in every} == {
        MatchRequestStatus.OPEN,
        MatchRequestStatus.MATCHED,
        MatchRequestStatus.WITHDRAWN,
    }
    # The waiting list starts from the same selector: only those still waiting.
    assert list(open_match_requests(actor=coordinator)) == [waiting]
    with pytest.raises(Http404):
        match_requests_for_user(actor=volunteer)


def test_a_matchs_check_ins_are_listed_in_the_order_they_fall_due(
    in_varnamo: Any, coordinator: User, volunteer: User
) -> None:
    match = match_propose(
        actor=coordinator,
        match_request=family_request(),
        candidate=family_request(group=PersonGroup.ESTABLISHED),
        today=TODAY - dt.timedelta(days=10),
    )
    assert not match_check_ins(actor=coordinator, match=match).exists()
    match_activate(actor=coordinator, match=match, started_on=TODAY - dt.timedelta(days=5))
    check_ins = list(match_check_ins(actor=coordinator, match=match))
    assert [check_in.months for check_in in check_ins] == [1, 3, 6]
    assert [check_in.due_on for check_in in check_ins] == sorted(check_in.due_on for check_in in check_ins)
    with pytest.raises(Http404):
        match_check_ins(actor=volunteer, match=match)


def test_a_persons_decisions_about_matching_are_listed_newest_first_with_who_recorded_them(
    in_varnamo: Any, coordinator: User, volunteer: User
) -> None:
    person = PersonFactory()
    matching_opt_out_record(actor=coordinator, person=person, opted_out=True, note="Said no")
    matching_opt_out_record(actor=coordinator, person=person, opted_out=False, note="Changed their mind")
    matching_opt_out_record(actor=coordinator, person=PersonFactory(), opted_out=True)
    history = list(matching_opt_out_history(actor=coordinator, person=person))
    assert [(decision.opted_out, decision.note) for decision in history] == [
        (False, "Changed their mind"),
        (True, "Said no"),
    ]
    assert history[0].recorded_by == coordinator
    with pytest.raises(Http404):
        matching_opt_out_history(actor=volunteer, person=person)
