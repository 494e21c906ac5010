"""Typed access to django-tenants' connection methods (its backend ships no type hints)."""

from __future__ import annotations

from typing import Any, cast

from django.db import connection

from tenants.models import Municipality


def tenant_connection() -> Any:
    return cast(Any, connection)


def use_public_schema() -> None:
    tenant_connection().set_schema_to_public()


def use_tenant(tenant: Municipality) -> None:
    tenant_connection().set_tenant(tenant)
