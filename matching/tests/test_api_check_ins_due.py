"""The check-ins due across all matches, through the API: the matching page's list (planned check-ins of
active matches due by today), in the page's order, paginated like every list, for the managers only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from api.services import api_token_create
from matching.models import CheckIn, Match, MatchEndReason
from matching.services.matching import check_in_complete, match_activate, match_end, match_propose
from people.models import PersonGroup
from tenants.models import Municipality
from tests.support.api_clients import Api, demo_api
from tests.support.matching_factories import family_request

pytestmark = pytest.mark.django_db

PATH = "/api/v1/matches/check-ins-due/"
TODAY = timezone.localdate()


def _active_since(coordinator: User, days: int, *, name: str | None = None) -> Match:
    """A friend-family match started ``days`` ago: check-ins at 1, 3 and 6 months from then."""
    match = match_propose(
        actor=coordinator,
        match_request=family_request(name=name) if name else family_request(),
        candidate=family_request(group=PersonGroup.ESTABLISHED),
        today=TODAY - dt.timedelta(days=days + 5),
    )
    return match_activate(actor=coordinator, match=match, started_on=TODAY - dt.timedelta(days=days))


def _check_in(match: Match, months: int) -> CheckIn:
    return match.check_ins.get(months=months)


def _all(api: Api, **params: Any) -> list[dict[str, Any]]:
    response = api.get(PATH, page_size=200, **params)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["count"] == len(answer["results"]), "the test expects one page"
    return list(answer["results"])


@pytest.fixture
def matches(coordinator: User) -> dict[str, Match]:
    """Check-ins due and not: the 1- and 3-month ones of ``long`` are due, its 6-month one lies ahead;
    ``short``'s 1-month one is due; ``done``'s 1-month one is noted; ``ended`` is over."""
    done = _active_since(coordinator, 100)
    check_in_complete(actor=coordinator, check_in=_check_in(done, 1), note="De träffas varje vecka")
    ended = _active_since(coordinator, 100)
    match_end(actor=coordinator, match=ended, reason=MatchEndReason.values[0], note="Flyttade")
    return {
        "long": _active_since(coordinator, 100, name="Länge"),
        "short": _active_since(coordinator, 40, name="Nyss"),
        "done": done,
        "ended": ended,
    }


def test_the_list_is_the_matching_pages_in_the_pages_order(
    matches: dict[str, Match], client_as: Callable[[Role], Client]
) -> None:
    rows = _all(demo_api(Role.COORDINATOR))
    ids = [row["id"] for row in rows]
    long, short, done, ended = (matches[k] for k in ("long", "short", "done", "ended"))
    due = {_check_in(long, 1).pk, _check_in(long, 3).pk, _check_in(short, 1).pk, _check_in(done, 3).pk}
    assert due <= set(ids)
    not_due = {_check_in(long, 6).pk, _check_in(short, 3).pk, _check_in(done, 1).pk}
    not_due |= set(ended.check_ins.values_list("pk", flat=True))
    assert not not_due & set(ids)
    assert all(row["status"] == "planned" and row["due_on"] <= TODAY.isoformat() for row in rows)
    assert [(row["due_on"], row["id"]) for row in rows] == sorted((row["due_on"], row["id"]) for row in rows)
    # The matching page lists the same pairs in the same order.
    page = client_as(Role.COORDINATOR).get("/staff/matching/").content.decode()
    section = page.split('id="due-heading"', 1)[1].split("</section>", 1)[0]
    assert [int(pk) for pk in re.findall(r'href="/staff/matching/matches/(\d+)/"', section)] == [
        row["match"] for row in rows
    ]
    first = next(row for row in rows if row["id"] == _check_in(long, 1).pk)
    assert first == {
        "id": _check_in(long, 1).pk,
        "match": long.pk,
        "months": 1,
        "due_on": _check_in(long, 1).due_on.isoformat(),
        "status": "planned",
        "done_on": None,
        "note": "",
        "reminded_at": None,
        "newcomer_name": "Länge",
        "established_name": long.established_request.display_name,
    }


def test_due_by_looks_ahead_or_back(matches: dict[str, Match]) -> None:
    long = matches["long"]
    api = demo_api(Role.ADMIN)
    ahead = {row["id"] for row in _all(api, due_by=(TODAY + dt.timedelta(days=100)).isoformat())}
    assert {_check_in(long, 6).pk, _check_in(matches["short"], 3).pk} <= ahead
    back = {row["id"] for row in _all(api, due_by=(TODAY - dt.timedelta(days=60)).isoformat())}
    assert _check_in(long, 1).pk in back
    assert _check_in(long, 3).pk not in back


def test_a_bad_day_is_400_with_a_swedish_message(in_varnamo: object) -> None:
    api = demo_api(Role.COORDINATOR)
    too_early = api.get(PATH, due_by="1800-01-01")
    assert too_early.status_code == 400
    assert too_early.json()["error"]["fields"] == {"due_by": ["Ange ett datum mellan åren 1900 och 2099."]}
    not_a_day = api.get(PATH, due_by="imorgon")
    assert not_a_day.status_code == 400
    assert list(not_a_day.json()["error"]["fields"]) == ["due_by"]


def test_the_list_is_paginated_like_every_list(matches: dict[str, Match]) -> None:
    api = demo_api(Role.COORDINATOR)
    everything = _all(api)
    first = api.get(PATH, page_size=1).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (len(everything), 1, None)
    assert first["next"] is not None
    second = api.get(PATH, page_size=1, page=2).json()
    assert [first["results"][0], second["results"][0]] == everything[:2]


def test_a_check_in_noted_as_done_leaves_the_list(matches: dict[str, Match]) -> None:
    long = matches["long"]
    api = demo_api(Role.COORDINATOR)
    row = next(row for row in _all(api) if row["id"] == _check_in(long, 1).pk)
    done = api.post(f"/api/v1/matches/{row['match']}/check-ins/{row['id']}/done/", {"note": "Allt väl"})
    assert done.status_code == 200, done.content
    left = {row["id"] for row in _all(api)}
    assert _check_in(long, 1).pk not in left
    assert _check_in(long, 3).pk in left


def test_the_managers_read_it_and_volunteers_do_not(matches: dict[str, Match]) -> None:
    for role in (Role.ADMIN, Role.COORDINATOR):
        response = demo_api(role).get(PATH)
        assert response.status_code == 200, role
        assert set(response.json()) == {"count", "next", "previous", "results"}
    refused = demo_api(Role.VOLUNTEER).get(PATH)
    assert refused.status_code == 403
    assert refused.json()["error"]["status"] == 403
    assert "newcomer_name" not in refused.content.decode()


def test_anonymous_and_another_networks_token_get_401(matches: dict[str, Match]) -> None:
    with Municipality.objects.get(schema_name="vaggeryd"):
        outsider = api_token_create(
            user=User.objects.get(email="admin@vaggeryd.demo"), name="outsider"
        ).plaintext
    for api in (Api("varnamo", None), Api("varnamo", outsider)):
        response = api.get(PATH)
        assert response.status_code == 401
        assert response.json()["error"]["status"] == 401


def test_another_networks_check_ins_are_never_listed(in_varnamo: object) -> None:
    with Municipality.objects.get(schema_name="vaggeryd"):
        coordinator = User.objects.get(email="coordinator@vaggeryd.demo")
        _active_since(coordinator, 100, name="Utsocknesfamiljen")
        own = Api("vaggeryd", api_token_create(user=coordinator, name="own").plaintext)
        # The detector works: Vaggeryd's own coordinator sees the pair on its own host.
        assert "Utsocknesfamiljen" in {row["newcomer_name"] for row in _all(own)}
    listed = _all(demo_api(Role.ADMIN))
    assert "Utsocknesfamiljen" not in {row["newcomer_name"] for row in listed}
