"""A NUL character in the query (PostgreSQL refuses it in text) is dropped: every filter, search, ordering
and page answers as without it, and never with a server error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from matching.services.matching import match_activate, match_propose
from matching.tests.factories import family_request
from people.choices import PersonGroup
from people.tests.factories import PersonFactory
from tests.support.api_clients import Api, demo_api

pytestmark = pytest.mark.django_db

NUL = "\x00"


def same_answer(api: Api, path: str, fixed: dict[str, str] | None = None, **params: str) -> dict[str, Any]:
    """The answer to ``params``, the same with NULs in their values; ``fixed`` is sent as it is."""
    plain = api.get(path, **(fixed or {}), **params)
    nul = {key: f"{value[:1]}{NUL}{value[1:]}{NUL}" for key, value in params.items()}
    with_nul = api.get(path, **(fixed or {}), **nul)
    assert plain.status_code == 200, plain.content
    assert with_nul.status_code == 200, with_nul.content
    results = plain.json()
    assert [row["id"] for row in with_nul.json()["results"]] == [row["id"] for row in results["results"]]
    assert with_nul.json()["count"] == results["count"]
    return results


@pytest.fixture
def nulssons(in_varnamo: object) -> None:
    for first_name in ("Anna", "Bo", "Cecilia", "David", "Eva"):
        PersonFactory(first_name=first_name, last_name="Nulsson", district="Nuldala")
    PersonFactory(first_name="Fredrik", last_name="Nulsson", district="Annanstans")


def test_a_filter_answers_as_without_nul(nulssons: None) -> None:
    assert same_answer(demo_api(Role.COORDINATOR), "/api/v1/people/", district="Nuldala")["count"] == 5


def test_a_search_answers_as_without_nul(nulssons: None) -> None:
    assert same_answer(demo_api(Role.COORDINATOR), "/api/v1/people/", search="Nulsson")["count"] == 6


def test_an_ordering_answers_as_without_nul(nulssons: None) -> None:
    api = demo_api(Role.COORDINATOR)
    ordered = same_answer(api, "/api/v1/people/", {"district": "Nuldala"}, ordering="-first_name")
    assert [row["first_name"] for row in ordered["results"]] == ["Eva", "David", "Cecilia", "Bo", "Anna"]


def test_a_page_and_its_size_answer_as_without_nul(nulssons: None) -> None:
    api = demo_api(Role.COORDINATOR)
    page = same_answer(api, "/api/v1/people/", {"district": "Nuldala"}, page_size="2", page="2")
    assert [row["first_name"] for row in page["results"]] == ["Cecilia", "David"]


def test_a_nul_in_a_query_serializer_is_dropped_too(in_varnamo: object, coordinator: User) -> None:
    match = match_propose(
        actor=coordinator,
        match_request=family_request(),
        candidate=family_request(group=PersonGroup.ESTABLISHED),
        today=timezone.localdate() - dt.timedelta(days=105),
    )
    match_activate(actor=coordinator, match=match, started_on=timezone.localdate() - dt.timedelta(days=100))
    api = demo_api(Role.COORDINATOR)
    due_by = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    assert same_answer(api, "/api/v1/matches/check-ins-due/", due_by=due_by)["count"] >= 1


def test_the_request_keeps_its_query_as_sent(in_varnamo: object) -> None:
    # The next page's link is built from the query as it came, as before.
    PersonFactory.create_batch(3, last_name="Nullänk")
    response = demo_api(Role.COORDINATOR).get("/api/v1/people/", search=f"Nullänk{NUL}", page_size="2")
    assert response.status_code == 200
    assert "search=Null%C3%A4nk%00" in response.json()["next"]
