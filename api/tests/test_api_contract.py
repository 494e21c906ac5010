"""The contract describes every local-network endpoint with its errors, in the one error shape."""

from __future__ import annotations

import pytest
import yaml

from conftest import tenant_client

pytestmark = pytest.mark.django_db

# Created with POST, changed with PATCH, and the actions the pages offer, each through its service.
CREATED = [
    "households",
    "people",
    "partners",
    "activities",
    "projects",
    "match-requests",
    "matches",
    "pathways",
]
CHANGED = ["households", "people", "partners", "activities", "projects"]
ACTIONS = [
    "households/{id}/members",
    "people/{id}/leave-household",
    "people/{id}/erase",
    "activities/{id}/sessions",
    "registrations/{id}/cancel",
    "match-requests/{id}/withdraw",
    "matches/{id}/activate",
    "matches/{id}/end",
    "matches/{id}/first-meeting",
    "matches/{id}/contacts",
    "pathways/{id}/stage",
]

ENDPOINTS = [
    "households",
    "people",
    "partners",
    "activities",
    "sessions",
    "registrations",
    "attendance",
    "projects",
    "match-requests",
    "matches",
    "pathways",
]


def test_every_endpoint_is_described_with_its_errors() -> None:
    schema = yaml.safe_load(tenant_client("varnamo").get("/api/schema/").content)
    paths = schema["paths"]
    for name in ENDPOINTS:
        assert f"/api/v1/{name}/" in paths
        assert f"/api/v1/{name}/{{id}}/" in paths
    assert "post" in paths["/api/v1/sessions/{id}/attendance/"]
    assert "post" in paths["/api/v1/registrations/"]
    for name in CREATED:
        assert "post" in paths[f"/api/v1/{name}/"], name
    for name in CHANGED:
        assert "patch" in paths[f"/api/v1/{name}/{{id}}/"], name
    for action in ACTIONS:
        assert "post" in paths[f"/api/v1/{action}/"], action
    for path, operations in paths.items():
        if not path.startswith("/api/v1/") or path == "/api/v1/me/":
            continue
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404", "409", "429"):
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"]["$ref"] == "#/components/schemas/Error", (path, method, code)
    assert set(schema["components"]["schemas"]["ErrorDetail"]["properties"]) == {
        "status",
        "code",
        "message",
        "fields",
    }


@pytest.mark.slow
def test_the_contract_is_valid_openapi_and_generated_without_warnings() -> None:
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = yaml.safe_load(tenant_client("varnamo").get("/api/schema/").content)
    validate_schema(schema)
    # A warning means a part of the contract was guessed (an enum named by a hash, a field without type).
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
