"""Sessions end after a while without activity and at an absolute age, whatever happens in between."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client

from accounts.middleware import SEEN_KEY, STARTED_KEY
from accounts.roles import Role
from conftest import login
from tenants.connection import tenant_connection
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def shift(client: Client, **seconds_ago: int) -> None:
    """Move the session's clock marks into the past (sessions live in the tenant's schema)."""
    with Municipality.objects.get(schema_name="varnamo"):
        session = client.session
        assert "_auth_user_id" in session
        now = int(time.time())
        for key, ago in seconds_ago.items():
            session[{"started": STARTED_KEY, "seen": SEEN_KEY}[key]] = now - ago
        session.save()


def seen(client: Client) -> int:
    with Municipality.objects.get(schema_name="varnamo"):
        return int(client.session[SEEN_KEY])


def test_an_active_session_stays_and_is_stamped() -> None:
    client = login("varnamo", Role.COORDINATOR)
    shift(client, seen=120)
    assert client.get("/staff/").status_code == 200
    assert int(time.time()) - seen(client) < 5


def test_an_idle_session_ends_with_a_message() -> None:
    client = login("varnamo", Role.COORDINATOR)
    shift(client, seen=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fstaff%2F"
    page = client.get(response["Location"])
    assert "Du loggades ut efter en stund utan aktivitet" in page.content.decode()
    assert client.get("/staff/").status_code == 302  # the session is gone, not just this request


def test_a_session_ends_at_its_absolute_age_even_when_active() -> None:
    client = login("varnamo", Role.ADMIN)
    shift(client, started=settings.SESSION_COOKIE_AGE + 1, seen=10)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "sessionen nått sin längsta tid" in client.get(response["Location"]).content.decode()


def test_settings_give_an_idle_timeout_shorter_than_the_absolute_age() -> None:
    assert 0 < settings.SESSION_IDLE_TIMEOUT < settings.SESSION_COOKIE_AGE


def test_an_idle_operator_on_the_public_host_goes_to_the_admin_login(public_client: Client) -> None:

    from accounts.models import User

    tenant_connection().set_schema_to_public()  # operators live in the public schema
    operator = User.objects.create_superuser("operator@platform.example", password="Ett-långt-lösenord-1")
    public_client.force_login(operator)
    session = public_client.session
    session[STARTED_KEY] = int(time.time()) - 100
    session[SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = public_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2F"
