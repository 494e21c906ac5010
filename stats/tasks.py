"""Background work: recompute a municipality's statistics after a change, and all of them nightly."""

from __future__ import annotations

from celery import shared_task

from stats import services
from tenants.models import Municipality


@shared_task(bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def stats_tenant_recompute(self: object, *, schema_name: str, first_year: int | None = None) -> int:
    """Runs in the tenant's schema (tenant_schemas_celery); the service reads that tenant's own tables."""
    tenant = Municipality.objects.get(schema_name=schema_name)
    return services.tenant_recompute(tenant=tenant, first_year=first_year)


@shared_task
def stats_nightly_recompute() -> int:
    """Queue a full recompute for every ready municipality; each runs in its own schema."""
    tenants = services.stats_tenants()
    for tenant in tenants:
        stats_tenant_recompute.apply_async(
            kwargs={"schema_name": tenant.schema_name, "first_year": None},
            headers={"_schema_name": tenant.schema_name},
        )
    return len(tenants)
