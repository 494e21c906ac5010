"""Personal API tokens: made and revoked by their user, stored hashed, valid on their own tenant only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from api.models import ApiToken
from api.services import ApiTokenError, api_token_create, api_token_revoke, token_digest
from conftest import demo_user, login, tenant_client
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def make_token(slug: str, role: Role) -> str:
    user = demo_user(slug, role)
    with Municipality.objects.get(schema_name=slug):
        return api_token_create(user=user, name="test").plaintext


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_stored_hashed_and_shown_once() -> None:
    user = demo_user("varnamo", Role.COORDINATOR)
    with Municipality.objects.get(schema_name="varnamo"):
        new = api_token_create(user=user, name="Kalkylark")
        stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.plaintext.startswith("ivp_")
    assert new.plaintext not in stored.digest
    assert stored.digest == token_digest(new.plaintext)
    assert stored.prefix in new.plaintext


def test_token_authenticates_and_records_last_use() -> None:
    token = make_token("varnamo", Role.COORDINATOR)
    response = tenant_client("varnamo").get("/api/v1/me/", **bearer(token))
    assert response.status_code == 200
    assert response.json()["email"] == "coordinator@varnamo.demo"
    assert response.json()["role"] == "coordinator"
    with Municipality.objects.get(schema_name="varnamo"):
        assert ApiToken.objects.get(user__email="coordinator@varnamo.demo").last_used_at is not None


def test_a_token_from_another_tenant_is_refused_with_401() -> None:
    token = make_token("varnamo", Role.ADMIN)
    response = tenant_client("vaggeryd").get("/api/v1/me/", **bearer(token))
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_a_revoked_token_is_refused() -> None:
    user = demo_user("varnamo", Role.ADMIN)
    with Municipality.objects.get(schema_name="varnamo"):
        new = api_token_create(user=user, name="old")
        api_token_revoke(user=user, token_id=new.token.pk)
    response = tenant_client("varnamo").get("/api/v1/me/", **bearer(new.plaintext))
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer ivp_nonsense", "Bearer " + "x" * 60])
def test_malformed_or_unknown_tokens_get_401_in_the_error_shape(header: str) -> None:
    response = tenant_client("varnamo").get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"}
    assert {"status", "code", "message"} <= set(body["error"])


def test_user_cannot_revoke_someone_elses_token() -> None:
    owner = demo_user("varnamo", Role.COORDINATOR)
    other = demo_user("varnamo", Role.VOLUNTEER)
    with Municipality.objects.get(schema_name="varnamo"):
        new = api_token_create(user=owner, name="mine")
        with pytest.raises(ApiTokenError):
            api_token_revoke(user=other, token_id=new.token.pk)
        assert ApiToken.objects.get(pk=new.token.pk).is_active


def test_a_token_needs_a_name() -> None:
    user = demo_user("varnamo", Role.COORDINATOR)
    with Municipality.objects.get(schema_name="varnamo"), pytest.raises(ApiTokenError):
        api_token_create(user=user, name="   ")


def test_profile_page_makes_shows_once_and_revokes_a_token() -> None:
    client = login("varnamo", Role.VOLUNTEER)
    response = client.post("/profile/api-tokens/", {"name": "Närvarolista"})
    assert response.status_code == 200
    plaintext = response.context["new_token"].plaintext
    assert plaintext in response.content.decode()
    # Shown once: the list page afterwards has only its prefix.
    listing = client.get("/profile/api-tokens/").content.decode()
    assert plaintext not in listing
    assert "Närvarolista" in listing

    token_id = response.context["new_token"].token.pk
    client.post(f"/profile/api-tokens/{token_id}/revoke/")
    assert tenant_client("varnamo").get("/api/v1/me/", **bearer(plaintext)).status_code == 401


def test_profile_page_refuses_an_empty_name_with_a_message() -> None:
    response = login("varnamo", Role.COORDINATOR).post("/profile/api-tokens/", {"name": ""})
    assert response.status_code == 400
    assert "Det här fältet måste fyllas i." in response.content.decode()


def test_profile_page_needs_a_login(public_client: Client) -> None:
    response = tenant_client("varnamo").get("/profile/api-tokens/")
    assert response.status_code == 302
