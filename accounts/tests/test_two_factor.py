"""Two-factor authentication: required for admin and board before any staff page, optional for others."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from conftest import DEMO_PASSWORD, demo_totp_code, demo_user, login, tenant_client, totp_code
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
NEW_PASSWORD = "Ett-långt-lösenord-2026"


def password_step(slug: str, email: str, password: str = DEMO_PASSWORD) -> tuple[Client, str]:
    client = tenant_client(slug)
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302
    return client, response["Location"]


def make_user(tenant: Municipality, email: str, role: Role) -> User:
    with tenant:
        return user_create(email=email, role=role, full_name="Test Person", password=NEW_PASSWORD)


@pytest.mark.parametrize(("slug", "role"), [("varnamo", Role.ADMIN), ("iv", Role.BOARD), ("iv", Role.ADMIN)])
def test_admin_and_board_are_asked_for_a_code_after_the_password(slug: str, role: Role) -> None:
    client, location = password_step(slug, f"{role.value}@{slug}.demo")
    assert location == f"{VERIFY}?next=%2Fstaff%2F"
    for page in ("/staff/", "/staff/users/", "/staff/audit/", "/board/members/", "/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(VERIFY), page
    response = client.get(location)
    assert "Ange din kod" in response.content.decode()
    assert response.context["navigation"] == []  # no menu of pages that cannot be opened yet


def test_the_right_code_opens_the_staff_pages() -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    response = client.post(location, {"token": demo_totp_code("varnamo", Role.ADMIN)})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/users/").status_code == 200


def test_a_wrong_code_is_refused_and_then_slowed_down() -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    right_code = demo_totp_code("varnamo", Role.ADMIN)
    response = client.post(location, {"token": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    # Straight away again, even with the right code: wait first (1, 2, 4 … seconds after each failure).
    response = client.post(location, {"token": right_code})
    assert response.status_code == 200
    assert "För många felaktiga koder i rad" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    with Municipality.objects.get(schema_name="varnamo"):
        assert TOTPDevice.objects.get(user__email="admin@varnamo.demo").throttling_failure_count == 1


def test_letters_are_not_a_code() -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    response = client.post(location, {"token": "abcdef"})
    assert "sex siffror" in response.content.decode()


def test_a_code_works_only_once() -> None:
    code = demo_totp_code("varnamo", Role.ADMIN)
    first, location = password_step("varnamo", "admin@varnamo.demo")
    assert first.post(location, {"token": code}).status_code == 302
    second, location = password_step("varnamo", "admin@varnamo.demo")
    assert second.post(location, {"token": code}).status_code == 200
    assert second.get("/staff/").status_code == 302


def test_verifying_gives_a_new_session_key() -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    before = client.cookies["sessionid"].value
    client.post(location, {"token": demo_totp_code("varnamo", Role.ADMIN)})
    assert client.cookies["sessionid"].value != before


def test_next_is_kept_through_the_code_step_but_never_leaves_the_host() -> None:
    client = tenant_client("varnamo")
    response = client.post(
        "/accounts/login/?next=/staff/audit/", {"username": "admin@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert unquote(response["Location"]) == f"{VERIFY}?next=/staff/audit/"
    response = client.post(response["Location"], {"token": demo_totp_code("varnamo", Role.ADMIN)})
    assert response["Location"] == "/staff/audit/"

    client, _ = password_step("varnamo", "admin@varnamo.demo")
    response = client.post(
        f"{VERIFY}?next=https://evil.example/", {"token": demo_totp_code("varnamo", Role.ADMIN)}
    )
    assert response["Location"] == "/staff/"


def test_a_new_admin_must_set_up_two_factor_before_any_staff_page(varnamo: Municipality) -> None:
    make_user(varnamo, "new.admin@varnamo.example", Role.ADMIN)
    client, location = password_step("varnamo", "new.admin@varnamo.example", NEW_PASSWORD)
    assert location.startswith(SETUP)
    assert client.get("/staff/").status_code == 302
    page = client.get(location)
    body = page.content.decode()
    assert "<svg" in body  # the QR code, inline and labelled
    assert "<title>" in body
    secret = page.context["secret"].replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    with varnamo:
        device = TOTPDevice.objects.get(user__email="new.admin@varnamo.example")
        assert not device.confirmed
        code = totp_code(device)
    assert client.get(location).context["secret"].replace(" ", "") == secret  # a reload keeps the key
    response = client.post(location, {"token": code})
    assert response.status_code == 302
    assert client.get("/staff/users/").status_code == 200
    with varnamo:
        assert TOTPDevice.objects.get(user__email="new.admin@varnamo.example").confirmed


def test_a_password_alone_cannot_replace_an_existing_authenticator() -> None:
    client, _ = password_step("varnamo", "admin@varnamo.demo")
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    response = client.post(SETUP, {"token": "123456"})
    assert response["Location"].startswith(VERIFY)
    with Municipality.objects.get(schema_name="varnamo"):
        assert TOTPDevice.objects.filter(user__email="admin@varnamo.demo").count() == 1


def test_a_verified_admin_can_move_to_a_new_phone(varnamo: Municipality) -> None:
    client = login("varnamo", Role.ADMIN)
    page = client.get(SETUP)
    assert page.status_code == 200
    with varnamo:
        new_device = TOTPDevice.objects.get(user__email="admin@varnamo.demo", confirmed=False)
        code = totp_code(new_device)
    assert client.post(SETUP, {"token": code}).status_code == 302
    with varnamo:
        assert list(
            TOTPDevice.objects.filter(user__email="admin@varnamo.demo").values_list("pk", flat=True)
        ) == [new_device.pk]


def test_coordinators_go_straight_in_and_may_turn_two_factor_on_and_off(varnamo: Municipality) -> None:
    client, location = password_step("varnamo", "coordinator@varnamo.demo")
    assert location == "/staff/"
    manage = client.get("/accounts/two-factor/")
    assert "Tvåfaktorsinloggning är avstängd" in manage.content.decode()
    client.get(SETUP)
    with varnamo:
        code = totp_code(TOTPDevice.objects.get(user__email="coordinator@varnamo.demo"))
    assert client.post(SETUP, {"token": code})["Location"] == "/staff/"

    # From now on the coordinator's logins ask for a code too.
    _, location = password_step("varnamo", "coordinator@varnamo.demo")
    assert location.startswith(VERIFY)

    # Turning it off takes a current code: a wrong one changes nothing.
    assert client.post("/accounts/two-factor/", {"token": "000000"}).status_code == 200
    with varnamo:
        assert TOTPDevice.objects.filter(user__email="coordinator@varnamo.demo").exists()
        # Forget the failure and the code already used above, as time passing would.
        TOTPDevice.objects.filter(user__email="coordinator@varnamo.demo").update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        code = totp_code(TOTPDevice.objects.get(user__email="coordinator@varnamo.demo"))
    response = client.post("/accounts/two-factor/", {"token": code})
    assert response.status_code == 302
    with varnamo:
        assert not TOTPDevice.objects.filter(user__email="coordinator@varnamo.demo").exists()
    _, location = password_step("varnamo", "coordinator@varnamo.demo")
    assert location == "/staff/"


def test_admin_cannot_turn_two_factor_off() -> None:
    client = login("varnamo", Role.ADMIN)
    response = client.get("/accounts/two-factor/")
    assert "kan därför inte stängas av" in response.content.decode()
    response = client.post("/accounts/two-factor/", {"token": demo_totp_code("varnamo", Role.ADMIN)})
    assert "kräver tvåfaktorsinloggning" in response.content.decode()
    with Municipality.objects.get(schema_name="varnamo"):
        assert TOTPDevice.objects.filter(user__email="admin@varnamo.demo").exists()


def test_production_refuses_codes_from_the_demo_key() -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    with override_settings(DEMO_SEED_ALLOWED=False):
        response = client.post(location, {"token": demo_totp_code("varnamo", Role.ADMIN)})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_a_removed_authenticator_sends_an_admin_to_set_up_again(varnamo: Municipality) -> None:
    client, location = password_step("varnamo", "admin@varnamo.demo")
    with varnamo:
        TOTPDevice.objects.filter(user__email="admin@varnamo.demo").delete()
    response = client.get(location)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_an_admin_session_loses_its_verification_when_the_device_is_reset(varnamo: Municipality) -> None:
    client = login("varnamo", Role.ADMIN)
    assert client.get("/staff/").status_code == 200
    with varnamo:
        TOTPDevice.objects.filter(user__email="admin@varnamo.demo").delete()
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP) or response["Location"].startswith(VERIFY)


def test_the_demo_admin_has_the_documented_demo_key() -> None:
    from base64 import b32encode

    from django.conf import settings

    admin = demo_user("varnamo", Role.ADMIN)
    with Municipality.objects.get(schema_name="varnamo"):
        device = TOTPDevice.objects.get(user=admin)
    assert b32encode(device.bin_key).decode() == settings.DEMO_TOTP_SECRET


def test_the_authenticator_app_shows_the_networks_name(varnamo: Municipality) -> None:
    client = login("varnamo", Role.ADMIN)
    client.get(SETUP)
    with varnamo:
        device = TOTPDevice.objects.get(user__email="admin@varnamo.demo", confirmed=False)
        url = device.config_url
    assert url.startswith("otpauth://totp/IV%20V%C3%A4rnamo%3Aadmin%40varnamo.demo?")
    assert url.endswith("&issuer=IV%20V%C3%A4rnamo")
