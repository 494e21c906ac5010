"""A token or session of one tenant is worthless on every API endpoint of another tenant.

The endpoints are found by walking the URL patterns, so a new endpoint is covered the day it is added.
"""

from __future__ import annotations

import pytest

from accounts.roles import Role
from api.services import api_token_create
from api.tests.routes import api_routes
from conftest import demo_user, login, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

ROUTES = api_routes()


def test_the_walk_finds_the_api() -> None:
    assert any(route.path == "/api/v1/me/" for route in ROUTES)


@pytest.fixture
def varnamo_admin_token() -> str:
    user = demo_user("varnamo", Role.ADMIN)
    with Municipality.objects.get(schema_name="varnamo"):
        return api_token_create(user=user, name="isolation").plaintext


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.path)
def test_a_token_from_another_tenant_gets_401_everywhere(route: object, varnamo_admin_token: str) -> None:
    client = tenant_client("vaggeryd")
    for method in route.methods:  # type: ignore[attr-defined]
        response = getattr(client, method.lower())(
            route.path,  # type: ignore[attr-defined]
            data={} if method != "GET" else None,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {varnamo_admin_token}",
        )
        assert response.status_code == 401, (method, route)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.path)
def test_a_session_from_another_tenant_gets_nothing_anywhere(route: object) -> None:
    session_key = login("varnamo", Role.ADMIN).cookies["sessionid"].value
    client = tenant_client("vaggeryd")
    client.cookies["sessionid"] = session_key
    for method in route.methods:  # type: ignore[attr-defined]
        response = getattr(client, method.lower())(route.path, content_type="application/json")  # type: ignore[attr-defined]
        assert response.status_code in {401, 403}, (method, route)
        assert "error" in response.json()
