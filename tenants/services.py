"""Writes to tenants. Creating a tenant creates its schema and its host."""

from __future__ import annotations

from django.db import transaction
from django_tenants.utils import get_public_schema_name

from tenants.models import Domain, Municipality, TenantKind, TenantStatus
from tenants.selectors import tenant_host


class TenantError(Exception):
    """A tenant could not be created or changed; the message is fit to show."""


def public_tenant_ensure(*, domain: str) -> Municipality:
    """The public schema's own tenant row and its host: the platform's landing page lives there."""
    tenant, _ = Municipality.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Internationella Vänner – plattformen", "status": TenantStatus.ACTIVE},
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_create(
    *,
    slug: str,
    name: str,
    kind: TenantKind = TenantKind.MUNICIPALITY,
    county: str = "",
    contact_email: str = "",
    status: TenantStatus = TenantStatus.TRIAL,
) -> Municipality:
    """Create the tenant row, its schema (migrated) and its primary host ``<slug>.<BASE_DOMAIN>``."""
    if Municipality.objects.filter(schema_name=slug).exists():
        raise TenantError(f"A space with the address {slug!r} already exists.")
    tenant = Municipality(
        schema_name=slug, name=name, kind=kind, county=county, contact_email=contact_email, status=status
    )
    tenant.full_clean()
    # Saving creates the schema; django-tenants drops it again if migrating fails.
    tenant.save()
    with transaction.atomic():
        Domain.objects.create(domain=tenant_host(slug), tenant=tenant, is_primary=True)
    return tenant
