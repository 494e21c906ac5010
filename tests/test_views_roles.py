"""Every page of activities, sessions, projects and follow-up: the right roles get in, volunteers see only
their own, anonymous users go to the login page, another municipality's users and ids are refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.roles import Role
from activities.models import Activity, Project, Session
from conftest import login, tenant_client
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.factories import SessionFactory

pytestmark = pytest.mark.django_db

MANAGERS = {Role.ADMIN, Role.COORDINATOR}
STAFF = {Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER}

PAGES = [
    ("/staff/activities/", STAFF),
    ("/staff/activities/new/", MANAGERS),
    ("/staff/activities/{football}/", STAFF),
    ("/staff/activities/{football}/edit/", MANAGERS),
    ("/staff/activities/{football}/sessions/new/", MANAGERS),
    ("/staff/activities/{football}/register/", MANAGERS),
    ("/staff/sessions/", STAFF),
    ("/staff/sessions/{session}/", STAFF),
    ("/staff/sessions/{session}/attendance/", STAFF),
    ("/staff/sessions/{session}/cancel/", MANAGERS),
    ("/staff/sessions/{session}/move/", MANAGERS),
    ("/staff/projects/", MANAGERS),
    ("/staff/projects/new/", MANAGERS),
    ("/staff/projects/{project}/", MANAGERS),
    ("/staff/projects/{project}/edit/", MANAGERS),
    ("/staff/follow-up/", MANAGERS),
]
# Pages of an activity the Värnamo volunteer does not lead: the same 404 as a missing one.
NOT_THEIRS = [
    "/staff/activities/{cafe}/",
    "/staff/sessions/{cafe_session}/",
    "/staff/sessions/{cafe_session}/attendance/",
]


@pytest.fixture
def ids(in_varnamo: Municipality) -> dict[str, int]:
    """Ids of Värnamo's demo data: football (led by the volunteer), the language café (not theirs)."""
    football = Activity.objects.get(title="Ungdomsfotboll")
    cafe = Activity.objects.get(title="Språkcafé")
    return {
        "football": football.pk,
        "cafe": cafe.pk,
        "session": Session.objects.filter(activity=football).order_by("starts_at").first().pk,  # type: ignore[union-attr]
        "cafe_session": Session.objects.filter(activity=cafe).order_by("starts_at").first().pk,  # type: ignore[union-attr]
        "project": Project.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
    }


@pytest.mark.parametrize(("path", "allowed"), PAGES)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_roles_get_in_or_are_forbidden(
    client_as: Callable[[Role], Client], ids: dict[str, int], path: str, allowed: set[Role], role: Role
) -> None:
    response = client_as(role).get(path.format(**ids))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_anonymous_users_go_to_the_login_page(ids: dict[str, int], path: str, allowed: set[Role]) -> None:
    url = path.format(**ids)
    response = tenant_client("varnamo").get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_a_login_of_vaggeryd_is_worth_nothing_on_varnamos_host(
    ids: dict[str, int], path: str, allowed: set[Role]
) -> None:
    outsider = login("vaggeryd", Role.COORDINATOR)
    response = outsider.get(path.format(**ids), HTTP_HOST="varnamo.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", NOT_THEIRS)
def test_a_volunteer_gets_404_for_activities_they_do_not_lead(
    client_as: Callable[[Role], Client], ids: dict[str, int], path: str
) -> None:
    assert client_as(Role.VOLUNTEER).get(path.format(**ids)).status_code == 404
    assert client_as(Role.COORDINATOR).get(path.format(**ids)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/staff/activities/{id}/",
        "/staff/activities/{id}/edit/",
        "/staff/sessions/{id}/",
        "/staff/sessions/{id}/attendance/",
        "/staff/projects/{id}/",
    ],
)
def test_vaggeryds_ids_are_not_found_on_varnamos_host(
    client_as: Callable[[Role], Client], vaggeryd: Municipality, in_varnamo: Municipality, path: str
) -> None:
    # Rows that exist in Vaggeryd's schema only, under ids Värnamo has never used.
    tenant_connection().set_tenant(vaggeryd)
    activity = Activity.objects.create(pk=10**9, title="Vaggeryds egen", category="other")
    SessionFactory.create(pk=10**9, activity=activity)
    Project.objects.create(
        pk=10**9, name="Vaggeryds projekt", funder_kind="other", starts_on="2026-01-01", ends_on="2026-12-31"
    )
    tenant_connection().set_tenant(in_varnamo)
    response = client_as(Role.COORDINATOR).get(path.format(id=10**9))
    assert response.status_code == 404
    # …while Vaggeryd's own coordinator finds them on Vaggeryd's host.
    assert login("vaggeryd", Role.COORDINATOR).get(path.format(id=10**9)).status_code == 200


@pytest.mark.parametrize(
    "path", ["/staff/activities/", "/staff/sessions/", "/staff/projects/", "/staff/follow-up/"]
)
def test_the_board_of_the_association_does_not_get_the_networks_pages(path: str) -> None:
    assert login("iv", Role.BOARD).get(path).status_code == 403


def test_the_board_keeps_its_simple_start_page() -> None:
    response = login("iv", Role.BOARD).get("/staff/")
    assert response.status_code == 200
    assert "dashboard" not in response.context
    assert "Medlemskommuner" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/staff/activities/new/", {"title": "X"}),
        ("/staff/activities/{football}/edit/", {"title": "X"}),
        ("/staff/activities/{football}/register/", {"person": "1"}),
        ("/staff/sessions/{session}/cancel/", {"reason": "X"}),
        ("/staff/projects/new/", {"name": "X"}),
    ],
)
def test_a_volunteers_posts_to_managers_pages_are_forbidden_and_write_nothing(
    client_as: Callable[[Role], Client], ids: dict[str, int], path: str, data: dict[str, str]
) -> None:
    counts = (
        Activity.objects.count(),
        Project.objects.count(),
        Session.objects.filter(status="cancelled").count(),
    )
    assert client_as(Role.VOLUNTEER).post(path.format(**ids), data).status_code == 403
    assert (
        Activity.objects.count(),
        Project.objects.count(),
        Session.objects.filter(status="cancelled").count(),
    ) == counts
