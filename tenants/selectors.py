from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from tenants.models import Municipality, TenantKind


def tenant_host(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def member_municipalities() -> QuerySet[Municipality]:
    """The association's members: every municipality tenant, public and association excluded."""
    return (
        Municipality.objects.exclude(schema_name=get_public_schema_name())
        .filter(kind=TenantKind.MUNICIPALITY)
        .order_by("name")
    )
