"""Bearer-token clients for the API tests: faster than signing in, and what integrations use."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.models import User
from accounts.roles import Role
from api.services import api_token_create
from conftest import tenant_client
from tenants.connection import tenant_connection


def token_for(user: User) -> str:
    """A new token for ``user``; call it inside the user's tenant (the ``in_varnamo`` fixture)."""
    return api_token_create(user=user, name="test").plaintext


class Api:
    """Requests to one tenant's host with one token; the ORM is put back in ``schema`` afterwards."""

    def __init__(self, slug: str, token: str | None) -> None:
        self.client: Client = tenant_client(slug)
        self.headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        self.tenant = tenant_connection().tenant

    def get(self, path: str, **params: Any) -> Any:
        try:
            return self.client.get(path, params or None, **self.headers)
        finally:
            tenant_connection().set_tenant(self.tenant)

    def post(self, path: str, data: Any = None) -> Any:
        try:
            return self.client.post(path, data, content_type="application/json", **self.headers)
        finally:
            tenant_connection().set_tenant(self.tenant)

    def patch(self, path: str, data: Any) -> Any:
        try:
            return self.client.patch(path, data, content_type="application/json", **self.headers)
        finally:
            tenant_connection().set_tenant(self.tenant)

    def delete(self, path: str) -> Any:
        try:
            return self.client.delete(path, **self.headers)
        finally:
            tenant_connection().set_tenant(self.tenant)

    def send(self, method: str, path: str, data: Any = None) -> Any:
        if method == "DELETE":
            return self.delete(path)
        return self.patch(path, data) if method == "PATCH" else self.post(path, data)


def demo_api(role: Role) -> Api:
    """A client for the Värnamo demo user of ``role``; call it inside Värnamo."""
    return Api("varnamo", token_for(User.objects.get(email=f"{role.value}@varnamo.demo")))
