"""The contract describes every local-network endpoint with its errors, in the one error shape."""

from __future__ import annotations

import pytest
import yaml

from conftest import tenant_client

pytestmark = pytest.mark.django_db

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
