"""Fixtures for the local network's tests (every domain app): Värnamo's schema, its named demo actors, inline Celery."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from conftest import login
from ivplatform.celery import app as celery_app
from tenants.connection import tenant_connection
from tenants.models import Municipality


@pytest.fixture
def in_varnamo(varnamo: Municipality) -> Iterator[Municipality]:
    """The ORM works in Värnamo's schema for the whole test."""
    tenant_connection().set_tenant(varnamo)
    yield varnamo
    tenant_connection().set_schema_to_public()


def _demo(role: Role) -> User:
    return User.objects.get(email=f"{role.value}@varnamo.demo")


@pytest.fixture
def admin(in_varnamo: Municipality) -> User:
    return _demo(Role.ADMIN)


@pytest.fixture
def coordinator(in_varnamo: Municipality) -> User:
    return _demo(Role.COORDINATOR)


@pytest.fixture
def volunteer(in_varnamo: Municipality) -> User:
    return _demo(Role.VOLUNTEER)


@pytest.fixture
def client_as(in_varnamo: Municipality) -> Callable[[Role], Client]:
    """``client_as(Role.VOLUNTEER)``: a signed-in client on Värnamo's host; the ORM stays in Värnamo."""

    def make(role: Role) -> Client:
        client = login("varnamo", role)
        tenant_connection().set_tenant(in_varnamo)
        return client

    return make


@pytest.fixture
def outsider() -> Client:
    """A coordinator of Vaggeryd, signed in on Vaggeryd's host."""
    return login("vaggeryd", Role.COORDINATOR)


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Tasks run inline, as without REDIS_URL (CI sets REDIS_URL; these tests look at the mail itself)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before
