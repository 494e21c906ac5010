"""Logins belong to one tenant's schema; every view checks the role."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from conftest import DEMO_PASSWORD, login, login_through_form, tenant_client

pytestmark = pytest.mark.django_db


def test_demo_login_works_on_its_own_host() -> None:
    client = login_through_form("varnamo", Role.COORDINATOR)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert response.context["user"].email == "coordinator@varnamo.demo"
    assert "Du är inloggad som Samordnare i Värnamo." in response.content.decode()


def test_a_login_is_refused_on_another_municipality() -> None:
    response = tenant_client("vaggeryd").post(
        "/accounts/login/", {"username": "coordinator@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.content.decode()


def test_a_session_cookie_from_one_host_is_worthless_on_another() -> None:
    varnamo = login_through_form("varnamo", Role.ADMIN)
    session_key = varnamo.cookies["sessionid"].value

    vaggeryd = tenant_client("vaggeryd")
    vaggeryd.cookies["sessionid"] = session_key
    response = vaggeryd.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_cookie_is_host_only_and_http_only() -> None:
    client = login_through_form("varnamo", Role.ADMIN)
    cookie = client.cookies["sessionid"]
    assert cookie["domain"] == ""
    assert cookie["httponly"] is True


def test_anonymous_user_is_sent_to_login() -> None:
    response = tenant_client("varnamo").get("/staff/users/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/users/"


# (path, roles allowed) on a municipality's host. The board role exists only on the association.
MUNICIPALITY_PAGES = [
    ("/staff/", {Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER}),
    ("/staff/users/", {Role.ADMIN}),
    ("/board/members/", set()),
]


@pytest.mark.parametrize(("path", "allowed"), MUNICIPALITY_PAGES)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER])
def test_municipality_pages_check_the_role(path: str, allowed: set[Role], role: Role) -> None:
    response = login("varnamo", role).get(path)
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER, Role.BOARD])
def test_only_the_board_sees_member_municipalities(role: Role) -> None:
    response = login("iv", role).get("/board/members/")
    if role == Role.BOARD:
        assert response.status_code == 200
        assert "Värnamo" in response.content.decode()
    else:
        assert response.status_code == 403


def test_forbidden_page_explains_itself_in_swedish() -> None:
    response = login("varnamo", Role.VOLUNTEER).get("/staff/users/")
    assert response.status_code == 403
    assert "Din roll ger inte tillgång" in response.content.decode()


def menu(slug: str, role: Role) -> dict[str, list[str]]:
    """The menu a role sees: each group's label and its links' labels, in order."""
    groups = login(slug, role).get("/staff/").context["navigation"]
    return {group.label: [label for label, _url in group.links] for group in groups}


def test_navigation_fits_the_role() -> None:
    admin_nav = login("varnamo", Role.ADMIN).get("/staff/").context["navigation"]
    volunteer_nav = login("varnamo", Role.VOLUNTEER).get("/staff/").context["navigation"]
    assert "/staff/users/" in [url for group in admin_nav for _, url in group.links]
    assert "/staff/users/" not in [url for group in volunteer_nav for _, url in group.links]


def test_the_menu_puts_the_daily_work_first_and_settings_after() -> None:
    assert menu("varnamo", Role.VOLUNTEER) == {
        "Verksamhet": ["Start", "Personer", "Hushåll", "Aktiviteter", "Tillfällen"],
        "Inställningar": ["API-nycklar"],
    }
    coordinator = menu("varnamo", Role.COORDINATOR)
    assert coordinator["Verksamhet"][:5] == ["Start", "Personer", "Hushåll", "Aktiviteter", "Tillfällen"]
    assert {"Uppföljning", "Matchning", "Lotsning", "Bidragsrapporter"} <= set(coordinator["Verksamhet"])
    assert coordinator["Inställningar"] == ["API-nycklar"]
    admin = menu("varnamo", Role.ADMIN)
    assert admin["Verksamhet"] == coordinator["Verksamhet"]
    assert admin["Inställningar"][0] == "Användare"
    assert {"Granskningslogg", "Gallring", "Betalning"} <= set(admin["Inställningar"])
    board = menu("iv", Role.BOARD)
    assert board["Verksamhet"] == ["Start", "Medlemskommuner", "Anmälningar", "Statistik", "Bidragsrapporter"]


def test_english_switch_is_remembered() -> None:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "This week" in client.get("/").content.decode()
    assert "Den här veckan" in tenant_client("varnamo").get("/").content.decode()


def test_swedish_is_the_default_whatever_the_browser_asks_for() -> None:
    response = tenant_client("varnamo").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "sv"
