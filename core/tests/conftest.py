"""Fixtures for the core tests (matching and pathways so far)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from accounts.models import Role, User
from core.tests.matching_factories import staff_user
from tenants.models import Municipality


@pytest.fixture
def in_varnamo(varnamo: Municipality) -> Iterator[Municipality]:
    """Run the test in Värnamo's schema (inside the test's transaction)."""
    connection.set_tenant(varnamo)
    yield varnamo
    connection.set_schema_to_public()


@pytest.fixture
def coordinator(in_varnamo: Municipality) -> User:
    return staff_user(Role.COORDINATOR)
