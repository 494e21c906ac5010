"""The admin searches the audit log on /staff/audit/: by actor, action, date range and object."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import audit_entries_for_admin
from audit.models import AuditAction, AuditEntry
from audit.selectors import AuditFilters
from conftest import demo_user, login, tenant_client
from tenants.connection import tenant_connection
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

URL = "/staff/audit/"


@pytest.fixture
def entries(varnamo: Municipality) -> dict[str, AuditEntry]:
    """Three entries in Värnamo: today by the coordinator, last week by the admin, and a scheduled one."""
    admin = demo_user("varnamo", Role.ADMIN)
    coordinator = demo_user("varnamo", Role.COORDINATOR)
    tenant_connection().set_tenant(varnamo)
    now = timezone.now()
    made = {
        "viewed": AuditEntry.objects.create(
            actor=coordinator,
            action=AuditAction.VIEW,
            obj_type="core.person",
            obj_id="12",
            summary="Viewed the profile",
        ),
        "exported": AuditEntry.objects.create(
            actor=admin,
            action=AuditAction.EXPORT,
            obj_type="core.person",
            obj_id="12",
            summary="Exported everything",
            at=now - timedelta(days=7),
        ),
        "erased": AuditEntry.objects.create(
            actor=None,
            action=AuditAction.ERASE,
            obj_type="core.household",
            obj_id="3",
            summary="Erased after retention",
        ),
    }
    tenant_connection().set_schema_to_public()
    return made


def summaries(client: Client, query: str = "") -> list[str]:
    response = client.get(URL + query)
    assert response.status_code == 200
    return [entry.summary for entry in response.context["page"]]


def test_admin_sees_every_entry_newest_first_in_swedish(entries: dict[str, AuditEntry]) -> None:
    client = login("varnamo", Role.ADMIN)
    response = client.get(URL)
    body = response.content.decode()
    assert [e.summary for e in response.context["page"]] == [
        "Erased after retention",
        "Viewed the profile",
        "Exported everything",
    ]
    assert "Granskningslogg" in body
    assert "Plattformen" in body  # the scheduled entry has no person behind it


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?action=export", ["Exported everything"]),
        ("?obj_type=core.person&obj_id=12", ["Viewed the profile", "Exported everything"]),
        ("?obj_type=core.household", ["Erased after retention"]),
    ],
)
def test_admin_filters_by_action_and_object(
    entries: dict[str, AuditEntry], query: str, expected: list[str]
) -> None:
    assert summaries(login("varnamo", Role.ADMIN), query) == expected


def test_admin_filters_by_actor(entries: dict[str, AuditEntry]) -> None:
    coordinator_id = entries["viewed"].actor_id
    assert summaries(login("varnamo", Role.ADMIN), f"?actor={coordinator_id}") == ["Viewed the profile"]


def test_admin_filters_by_date_range_with_both_days_included(entries: dict[str, AuditEntry]) -> None:
    week_ago = timezone.localdate() - timedelta(days=7)
    client = login("varnamo", Role.ADMIN)
    assert summaries(client, f"?date_from={week_ago}&date_to={week_ago}") == ["Exported everything"]
    assert summaries(client, f"?date_from={timezone.localdate()}") == [
        "Erased after retention",
        "Viewed the profile",
    ]


def test_a_reversed_date_range_is_explained_and_shows_nothing(entries: dict[str, AuditEntry]) -> None:
    response = login("varnamo", Role.ADMIN).get(URL + "?date_from=2026-05-02&date_to=2026-05-01")
    assert list(response.context["page"]) == []
    assert "måste vara samma dag som eller före" in response.content.decode()


def test_an_actor_from_another_tenant_is_not_a_valid_filter(entries: dict[str, AuditEntry]) -> None:
    response = login("varnamo", Role.ADMIN).get(URL + "?actor=999999")
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert response.context["form"].errors["actor"]


def test_the_page_makes_a_fixed_number_of_queries(
    entries: dict[str, AuditEntry], varnamo: Municipality, django_assert_max_num_queries: Any
) -> None:
    client = login("varnamo", Role.ADMIN)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    actors = [demo_user("varnamo", role) for role in (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)]
    tenant_connection().set_tenant(varnamo)
    for number in range(30):
        AuditEntry.objects.create(
            actor=actors[number % 3],
            action=AuditAction.VIEW,
            obj_type="core.person",
            obj_id=str(number),
            summary="Viewed",
        )
    tenant_connection().set_schema_to_public()
    # Host, session, user, two-factor device, object types, count, one page with its actors, the actor
    # choices: eight queries, each after django-tenants' SET search_path.
    with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["page"]) == 33
    assert len(many) == len(few)  # no query per entry or per actor


@pytest.mark.parametrize(("role", "status"), [(Role.COORDINATOR, 403), (Role.VOLUNTEER, 403)])
def test_only_the_admin_opens_the_audit_log(role: Role, status: int) -> None:
    assert login("varnamo", role).get(URL).status_code == status


def test_anonymous_goes_to_login() -> None:
    response = tenant_client("varnamo").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_admin_of_another_tenant_sees_only_their_own_log(entries: dict[str, AuditEntry]) -> None:
    outsider = login("vaggeryd", Role.ADMIN)
    assert summaries(outsider) == []
    # Värnamo's session cookie means nothing on Vaggeryd's host, and the other way round.
    varnamo_cookie = login("varnamo", Role.ADMIN).cookies["sessionid"].value
    stranger = tenant_client("vaggeryd")
    stranger.cookies["sessionid"] = varnamo_cookie
    assert stranger.get(URL).status_code == 302


def test_the_selector_gives_non_admins_nothing(entries: dict[str, AuditEntry], varnamo: Municipality) -> None:
    coordinator = demo_user("varnamo", Role.COORDINATOR)
    tenant_connection().set_tenant(varnamo)
    assert not audit_entries_for_admin(actor=coordinator, filters=AuditFilters()).exists()
