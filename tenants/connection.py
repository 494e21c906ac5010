"""django-tenants' database connection, typed: it adds the schema switching that Django's has not."""

from __future__ import annotations

from typing import Any, Protocol, cast

from django.db import connections
from django_tenants.utils import get_tenant_database_alias


class TenantConnection(Protocol):
    tenant: Any
    schema_name: str
    include_public_schema: bool

    def set_schema(
        self, schema_name: str, include_public: bool = True, tenant_type: str | None = None
    ) -> None: ...

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...


def tenant_connection() -> TenantConnection:
    return cast(TenantConnection, connections[get_tenant_database_alias()])
