"""Host routing: django-tenants' middleware, with host → tenant remembered for a few seconds per process."""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django_tenants.middleware.main import TenantMainMiddleware

if TYPE_CHECKING:
    from tenants.models import Municipality


class CachedTenantMainMiddleware(TenantMainMiddleware):
    """django-tenants' host routing, remembering host → tenant for a few seconds in each process.

    Without it every request first queries the public schema's domain table: about 1 ms, a fifth of a
    small page (``make bench``, figure "routing"). ``TENANT_ROUTING_CACHE_SECONDS`` bounds how long a change
    to a tenant or its hosts made in another process (another web worker, a Celery task) takes to show;
    saving or deleting a tenant or domain through the ORM in this process forgets everything at once.
    Unknown hosts are never remembered, so made-up Host headers cannot grow the cache. 0 turns it off.
    """

    def get_tenant(self, domain_model: type[Model], hostname: str) -> Municipality:
        seconds = getattr(settings, "TENANT_ROUTING_CACHE_SECONDS", 0)
        if seconds <= 0:
            return cast("Municipality", super().get_tenant(domain_model, hostname))
        now = time.monotonic()
        cached = _ROUTING_CACHE.get(hostname)
        if cached is None or cached[0] <= now:
            tenant = cast("Municipality", super().get_tenant(domain_model, hostname))
            cached = (now + seconds, tenant)
            _ROUTING_CACHE[hostname] = cached
        # A copy per request: a view that changes request.tenant without saving must not change it for
        # the requests after it.
        return copy.copy(cached[1])


_ROUTING_CACHE: dict[str, tuple[float, Municipality]] = {}


def forget_tenant_routes(**kwargs: object) -> None:
    _ROUTING_CACHE.clear()


for _signal in (post_save, post_delete):
    for _model in ("tenants.Municipality", "tenants.Domain"):
        _signal.connect(forget_tenant_routes, sender=_model)
