"""Fixtures shared by every test: the demo tenants in the test database, clients per host, named actors.

The test database is migrated once per run and seeded with the demo (committed), so every test sees the
public host, four municipalities and the association with their demo logins. Tests run inside a transaction
that is rolled back, so what a test writes is gone afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import Role, User
from tenants.models import Municipality

DEMO_PASSWORD = "vanner-demo"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:  # type: ignore[misc]
    from tenants.demo import demo_seed

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        demo_seed()
        connection.set_schema_to_public()


def host(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


@pytest.fixture
def public_client() -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN)


def tenant_client(slug: str) -> Client:
    return Client(HTTP_HOST=host(slug))


@pytest.fixture
def varnamo(db: None) -> Iterator[Municipality]:
    tenant = Municipality.objects.get(schema_name="varnamo")
    yield tenant
    connection.set_schema_to_public()


@pytest.fixture
def vaggeryd(db: None) -> Municipality:
    return Municipality.objects.get(schema_name="vaggeryd")


@pytest.fixture
def association(db: None) -> Municipality:
    return Municipality.objects.get(schema_name="iv")


def demo_user(slug: str, role: Role) -> User:
    with Municipality.objects.get(schema_name=slug):
        return User.objects.get(email=f"{role.value}@{slug}.demo")


def login(slug: str, role: Role) -> Client:
    """A client on ``slug``'s host, signed in as that tenant's demo user with ``role``."""
    client = tenant_client(slug)
    response = client.post(
        "/accounts/login/", {"username": f"{role.value}@{slug}.demo", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"demo login for {role} on {slug} failed"
    connection.set_schema_to_public()
    return client
