"""Every answer under /api/ is JSON in the one error shape, whatever went wrong and wherever; the contract
says so, and the pagination refuses what it cannot take."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from django.test import Client, override_settings

from accounts.roles import Role
from api.services import api_token_create
from conftest import demo_user, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> Client:
    with Municipality.objects.get(schema_name="varnamo"):
        token = api_token_create(user=demo_user("varnamo", Role.COORDINATOR), name="errors").plaintext
    client = tenant_client("varnamo")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("application/json")
    error: dict[str, Any] = json.loads(response.content)["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


UNKNOWN = [
    "/api/v1/sessions/null,null/move/",
    "/api/v1/people/null/consents/",
    "/api/v1/nothing-here/",
    "/api/v1/matches/1/check-ins/x/done/",
    "/api/",
    "/api/v2/people/",
]


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_api_address_is_a_json_404_whatever_the_method_and_debug(
    api: Client, path: str, method: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug):
        response = getattr(api, method)(path, content_type="application/json")
    assert assert_error(response, 404)["code"] == "not_found"


def test_on_the_public_host_the_api_addresses_answer_json_too(public_client: Client) -> None:
    with override_settings(DEBUG=True):
        assert_error(public_client.post("/api/v1/sessions/null,null/move/"), 404)


def test_a_missing_slash_still_redirects_to_the_address_with_one(api: Client) -> None:
    response = api.get("/api/v1/people")
    assert response.status_code == 301 and response["Location"] == "/api/v1/people/"


def test_a_method_an_endpoint_does_not_take_is_a_json_405(api: Client) -> None:
    assert assert_error(api.put("/api/v1/people/", {}, content_type="application/json"), 405)["code"] == (
        "method_not_allowed"
    )


def test_a_server_error_on_an_api_address_is_json(api: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.views import MeView

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(MeView, "get", broken)
    api.raise_request_exception = False
    error = assert_error(api.get("/api/v1/me/"), 500)
    assert "a bug" not in error["message"]


@pytest.mark.parametrize("value", ["null", "0", "-1", "abc", "1.5", "２", " 5"])
def test_page_size_that_is_not_a_whole_number_from_1_is_a_json_400(api: Client, value: str) -> None:
    error = assert_error(api.get("/api/v1/people/", {"page_size": value}), 400)
    assert list(error["fields"]) == ["page_size"]


def test_page_size_within_and_over_the_cap(api: Client) -> None:
    assert len(api.get("/api/v1/people/", {"page_size": "3"}).json()["results"]) == 3
    assert len(api.get("/api/v1/people/", {"page_size": "10000"}).json()["results"]) == 200
    assert len(api.get("/api/v1/people/", {"page_size": ""}).json()["results"]) == 50


def test_the_contract_documents_401_on_me_and_the_page_parameters() -> None:
    schema = yaml.safe_load(tenant_client("varnamo").get("/api/schema/").content)
    me = schema["paths"]["/api/v1/me/"]["get"]
    assert "401" in me["responses"]
    assert me["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    people = {p["name"]: p for p in schema["paths"]["/api/v1/people/"]["get"]["parameters"]}
    assert people["page_size"]["schema"]["minimum"] == 1 and people["page"]["schema"]["minimum"] == 1
    assert "400" in schema["paths"]["/api/v1/people/"]["get"]["responses"]


def test_me_without_credentials_answers_the_documented_401() -> None:
    assert_error(tenant_client("varnamo").get("/api/v1/me/"), 401)


def test_django_s_own_error_answers_on_api_addresses_are_json_and_stay_html_elsewhere() -> None:
    from django.test import RequestFactory

    from ivplatform import views

    factory = RequestFactory()
    for handler, status in ((views.bad_request, 400), (views.permission_denied, 403)):
        assert_error(handler(factory.get("/api/v1/people/"), Exception()), status)
        assert handler(factory.get("/staff/"), Exception())["Content-Type"].startswith("text/html")
    assert_error(views.server_error(factory.get("/api/v1/me/")), 500)
