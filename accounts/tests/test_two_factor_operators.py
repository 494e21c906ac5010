"""Platform operators on the public host pass the same two-factor step as tenant admins before Django
admin or the billing overview opens: the same TOTP devices, throttling, one use per code, no demo key."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.services import AccountError, demo_totp_key, totp_device_remove
from conftest import OPERATOR_PASSWORD, enrol_two_factor, totp_code

pytestmark = pytest.mark.django_db

EMAIL = "ops@platform.example"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
OPERATOR_PAGES = (
    "/admin/",
    "/admin/tenants/municipality/",
    "/admin/billing/stripeevent/",
    "/billing/operator/",
)


@pytest.fixture
def operator(db: None) -> User:
    connection.set_schema_to_public()  # operators live in the public schema
    return User.objects.create_superuser(EMAIL, OPERATOR_PASSWORD)


def password_step(client: Client | None = None) -> tuple[Client, str]:
    """Sign in on Django admin's login page with the password only; returns the client and where it went."""
    client = client or Client(HTTP_HOST=settings.BASE_DOMAIN)
    response = client.post("/admin/login/?next=/admin/", {"username": EMAIL, "password": OPERATOR_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    connection.set_schema_to_public()
    return client, response["Location"]


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def test_an_operator_without_an_authenticator_sets_one_up_before_any_operator_page(operator: User) -> None:
    client, _ = password_step()
    for page in OPERATOR_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(SETUP), page
    page = client.get(f"{SETUP}?next=/admin/").content.decode()
    assert "plattformsoperatör" in page
    response = enrol_two_factor(client, f"{SETUP}?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    connection.set_schema_to_public()
    assert TOTPDevice.objects.get(user=operator).confirmed
    for page in OPERATOR_PAGES:
        assert client.get(page).status_code == 200, page


def test_an_operator_with_an_authenticator_needs_its_code(operator: User) -> None:
    device = with_device(operator)
    client, location = password_step()
    assert location == "/admin/"
    response = client.get("/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    for page in OPERATOR_PAGES:
        assert client.get(page)["Location"].startswith(VERIFY), page
    page = client.get(f"{VERIFY}?next=/admin/").content.decode()
    assert "Ange din kod" in page
    assert "Django admin" in page  # a lost phone: another operator removes the device there
    assert "nätverkets administratör" not in page

    response = client.post(f"{VERIFY}?next=/admin/", {"token": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/tenants/municipality/").status_code == 200
    assert client.get("/billing/operator/").status_code == 200


def test_a_wrong_code_is_refused_slowed_down_and_works_only_once(operator: User) -> None:
    device = with_device(operator)
    client, _ = password_step()
    right = totp_code(device)
    response = client.post(VERIFY, {"token": "000000"})
    assert "Koden stämmer inte" in response.content.decode()
    response = client.post(VERIFY, {"token": right})  # straight away: throttled, as for tenant admins
    assert "För många felaktiga koder i rad" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    connection.set_schema_to_public()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    assert client.post(VERIFY, {"token": right}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # The same code a second time (another browser, a stolen session's replay) is refused.
    other, _ = password_step()
    assert "Koden stämmer inte" in other.post(VERIFY, {"token": right}).content.decode()


def test_the_demo_key_is_refused_in_production(operator: User, settings: object) -> None:
    device = TOTPDevice.objects.create(user=operator, name="Demo", confirmed=True, key=demo_totp_key())
    settings.DEMO_SEED_ALLOWED = False  # type: ignore[attr-defined]
    client, _ = password_step()
    assert client.post(VERIFY, {"token": totp_code(device)}).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_operators_cannot_turn_two_factor_off(operator: User) -> None:
    device = with_device(operator)
    with pytest.raises(AccountError):
        totp_device_remove(user=operator, token=totp_code(device))
    assert TOTPDevice.objects.filter(user=operator).exists()


def test_a_lost_phone_another_operator_removes_the_device_and_the_next_login_sets_one_up(
    operator: User,
) -> None:
    from conftest import operator_client

    with_device(operator)
    colleague = operator_client("colleague@platform.example")
    device = TOTPDevice.objects.get(user=operator)
    listing = colleague.get("/admin/otp_totp/totpdevice/").content.decode()
    assert EMAIL in listing
    response = colleague.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    connection.set_schema_to_public()
    assert not TOTPDevice.objects.filter(user=operator).exists()
    client, _ = password_step()
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_webhook_and_the_public_pages_need_no_login(operator: User) -> None:
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    assert client.get("/").status_code == 200
    assert client.get("/signup/").status_code == 200
    assert (
        client.post("/billing/stripe/webhook/", data="{}", content_type="application/json").status_code == 400
    )
