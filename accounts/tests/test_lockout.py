"""Repeated failed logins pause logging in for that account from that address, per tenant."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from conftest import DEMO_PASSWORD, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def attempt(client: Client, email: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": email, "password": password}).status_code


def fail_until_locked(client: Client, email: str) -> None:
    statuses = [attempt(client, email, WRONG) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429


def test_too_many_wrong_passwords_pause_the_login_even_with_the_right_one() -> None:
    client = tenant_client("varnamo")
    fail_until_locked(client, "coordinator@varnamo.demo")
    response = client.post(
        "/accounts/login/", {"username": "coordinator@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "Inloggningen är pausad" in body
    assert "15 minuter" in body
    assert "/accounts/password-reset/" in body
    assert "_auth_user_id" not in client.session


def test_a_login_name_longer_than_axes_stores_is_counted_not_a_server_error(public_client: Client) -> None:
    """Found by the hostile sweep: Django admin's login (the operators', on the public host) passes a name of
    any length to authentication, and axes' 255 characters answered 500. It is cut, and still counted."""
    long_name = "x" * 10_000
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = public_client.post("/accounts/login/", {"username": long_name, "password": WRONG})
        assert response.status_code in (200, 429)
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="x" * 255).failures_since_start == settings.AXES_FAILURE_LIMIT


def test_the_lockout_page_speaks_english_when_chosen() -> None:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    fail_until_locked(client, "volunteer@varnamo.demo")
    response = client.get("/accounts/login/")
    assert response.status_code == 200  # looking at the form is fine; posting is paused
    response = client.post(
        "/accounts/login/", {"username": "volunteer@varnamo.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429
    assert "Login paused" in response.content.decode()


def test_the_same_address_typed_differently_counts_as_one_account() -> None:
    client = tenant_client("varnamo")
    for spelling in ("Coordinator@Varnamo.demo", " coordinator@varnamo.demo", "COORDINATOR@VARNAMO.DEMO"):
        attempt(client, spelling, WRONG)
    attempt(client, "coordinator@varnamo.demo", WRONG)
    assert attempt(client, "coordinator@varnamo.demo", WRONG) == 429


def test_attempts_are_stored_in_the_tenants_own_schema(varnamo: Municipality, vaggeryd: Municipality) -> None:
    fail_until_locked(tenant_client("varnamo"), "admin@varnamo.demo")
    with varnamo:
        assert AccessAttempt.objects.filter(username="admin@varnamo.demo").count() == 1
    with vaggeryd:
        assert not AccessAttempt.objects.exists()
    # Vaggeryd's own admin, from the same address, is not affected.
    response = tenant_client("vaggeryd").post(
        "/accounts/login/", {"username": "admin@vaggeryd.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_a_successful_login_forgets_earlier_failures() -> None:
    client = tenant_client("varnamo")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "volunteer@varnamo.demo", WRONG)
    assert attempt(client, "volunteer@varnamo.demo", DEMO_PASSWORD) == 302
    fresh = tenant_client("varnamo")
    assert attempt(fresh, "volunteer@varnamo.demo", WRONG) == 200


def test_lockout_log_lines_name_no_address(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="axes"):
        fail_until_locked(tenant_client("varnamo"), "coordinator@varnamo.demo")
    text = caplog.text
    assert "tenant: varnamo" in text
    assert "account: " in text
    assert "coordinator@varnamo.demo" not in text
    assert "127.0.0.1" not in text


def forwarded_attempt(client: Client, email: str, forwarded_for: str) -> int:
    """A login through one reverse proxy (10.0.0.1), which appends the address it was reached from."""
    return client.post(
        "/accounts/login/",
        {"username": email, "password": WRONG},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    ).status_code


def test_behind_a_proxy_the_lockout_counts_the_client_the_proxy_forwarded(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client = tenant_client("varnamo")
    email = "coordinator@varnamo.demo"
    statuses = [forwarded_attempt(client, email, "203.0.113.7") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[-1] == 429
    # What the client writes in front of the proxy's entry proves nothing: still the same client.
    assert forwarded_attempt(client, email, "198.51.100.1, 203.0.113.7") == 429
    # Another visitor behind the same proxy is not paused.
    assert forwarded_attempt(client, email, "198.51.100.9") == 200


def test_without_a_proxy_a_forged_header_does_not_dodge_the_lockout() -> None:
    client = tenant_client("varnamo")
    email = "volunteer@varnamo.demo"
    for number in range(settings.AXES_FAILURE_LIMIT):
        status = client.post(
            "/accounts/login/",
            {"username": email, "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        ).status_code
    assert status == 429
