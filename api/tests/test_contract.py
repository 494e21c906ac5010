"""The API's contract: OpenAPI at /api/schema/, docs at /api/docs/, one error shape, sessions too."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from accounts.roles import Role
from conftest import login, tenant_client

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_describes_bearer_auth() -> None:
    response = tenant_client("varnamo").get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_interactive_docs_load_their_assets_from_our_own_server() -> None:
    response = tenant_client("varnamo").get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body
    assert "cdn" not in body.lower()
    assert "<script>" not in body  # the split view keeps scripts in files, for the Content-Security-Policy


def test_the_browser_session_works_for_the_api() -> None:
    response = login("varnamo", Role.ADMIN).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["network"] == "Värnamo"


def test_anonymous_gets_401_in_the_error_shape() -> None:
    response = tenant_client("varnamo").get("/api/v1/me/")
    assert response.status_code in {401, 403}
    assert response.json()["error"]["status"] == response.status_code


def test_unknown_api_path_gets_json_404() -> None:
    response = tenant_client("varnamo").get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_no_api_on_the_public_host(public_client: Client) -> None:
    assert public_client.get("/api/v1/me/").status_code == 404
