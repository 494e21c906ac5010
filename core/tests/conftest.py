"""Fixtures for the local network's tests: work inside a municipality's schema, named actors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from accounts.models import Role, User
from tenants.models import Municipality


@pytest.fixture
def in_varnamo(varnamo: Municipality) -> Iterator[Municipality]:
    """The connection works in Värnamo's schema for the test's own reads and writes."""
    connection.set_tenant(varnamo)
    yield varnamo
    connection.set_schema_to_public()


def _user(role: Role) -> User:
    return User.objects.get(email=f"{role.value}@{connection.schema_name}.demo")


@pytest.fixture
def admin(in_varnamo: Municipality) -> User:
    return _user(Role.ADMIN)


@pytest.fixture
def coordinator(in_varnamo: Municipality) -> User:
    return _user(Role.COORDINATOR)


@pytest.fixture
def volunteer(in_varnamo: Municipality) -> User:
    return _user(Role.VOLUNTEER)
