"""The one way to run background work in every tenant: ``tasks_fan_out``.

Beat queues a fan-out task in the public schema; it queues the real task once per ready tenant, inside
that tenant's context, so that tenant-schemas-celery stamps the schema on the message and the worker runs
it there. Apps below ``tenants`` use this too: the tenant model is looked up, not imported.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name, get_tenant_model


class QueueableTask(Protocol):
    def apply_async(self, *args: Any, **kwargs: Any) -> Any: ...


def ready_tenants(*, include_public: bool = False) -> QuerySet[Any]:
    """Every tenant whose scheduled jobs run, in schema order; the public schema only when asked for (it
    holds the platform operators' logins, nothing of a network)."""
    tenants: QuerySet[Any] = get_tenant_model().objects.ready()
    if not include_public:
        tenants = tenants.exclude(schema_name=get_public_schema_name())
    return tenants.order_by("schema_name")


def tasks_fan_out(
    task: QueueableTask, *, kwargs: dict[str, Any] | None = None, include_public: bool = False
) -> list[str]:
    """Queue ``task`` with ``kwargs`` once per ready tenant, in its schema. Returns the schemas queued."""
    schemas = []
    for tenant in ready_tenants(include_public=include_public):
        with tenant:
            task.apply_async(kwargs=kwargs or {})
        schemas.append(tenant.schema_name)
    return schemas
