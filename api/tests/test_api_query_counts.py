"""List endpoints run a fixed number of queries whatever the page size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.tests.factories import SessionFactory
from matching.services.matching import match_activate, match_propose
from matching.tests.factories import family_request
from partners.tests.factories import PartnerContactFactory, PartnerFactory
from people.choices import PersonGroup
from tests.support.api_clients import Api, demo_api

pytestmark = pytest.mark.django_db


def queries(api: Api, path: str, page_size: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path, page_size=page_size)
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith("SET search_path"))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/",
        "/api/v1/sessions/",
        "/api/v1/activities/",
        "/api/v1/households/",
        "/api/v1/registrations/",
        "/api/v1/attendance/",
    ],
)
def test_a_list_costs_the_same_for_3_or_30_rows(path: str, in_varnamo: object) -> None:
    SessionFactory.create_batch(30)  # enough sessions whatever the demo holds
    api = demo_api(Role.COORDINATOR)
    api.get("/api/v1/me/")  # the token's first use records its last-used time once; leave that out
    small, large = queries(api, path, 3), queries(api, path, 30)
    assert small == large
    # Token and user, count, page, and one prefetch at most.
    assert small <= 5


def test_a_volunteers_people_list_is_fixed_too(in_varnamo: object) -> None:
    api = demo_api(Role.VOLUNTEER)
    api.get("/api/v1/me/")
    total = api.get("/api/v1/people/").json()["count"]
    assert total >= 4, "the demo volunteer leads activities with people in them"
    assert queries(api, "/api/v1/people/", 1) == queries(api, "/api/v1/people/", min(total, 30))


def test_partners_with_their_contacts_cost_the_same_for_3_or_30_rows(in_varnamo: object) -> None:
    for partner in PartnerFactory.create_batch(30):
        PartnerContactFactory.create_batch(2, partner=partner)
    api = demo_api(Role.COORDINATOR)
    api.get("/api/v1/me/")
    small, large = queries(api, "/api/v1/partners/", 3), queries(api, "/api/v1/partners/", 30)
    assert small == large
    assert small <= 5  # token and user, count, page, contacts


def test_the_check_ins_due_cost_the_same_for_3_or_30_rows(in_varnamo: object, coordinator: User) -> None:
    # Fifteen pairs that started 100 days ago: their 1- and 3-month check-ins are due.
    for _ in range(15):
        match = match_propose(
            actor=coordinator,
            match_request=family_request(),
            candidate=family_request(group=PersonGroup.ESTABLISHED),
            today=timezone.localdate() - dt.timedelta(days=105),
        )
        match_activate(
            actor=coordinator, match=match, started_on=timezone.localdate() - dt.timedelta(days=100)
        )
    api = demo_api(Role.COORDINATOR)
    api.get("/api/v1/me/")
    path = "/api/v1/matches/check-ins-due/"
    small, large = queries(api, path, 3), queries(api, path, 30)
    assert small == large
    assert small <= 4  # token and user, count, page (with both sides of each pair)
