"""Request types for views: what the middleware guarantees on a tenant's host."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User
    from tenants.models import Municipality


class TenantRequest(HttpRequest):
    """A request routed to a tenant (TenantMainMiddleware sets ``tenant``)."""

    tenant: Municipality


class StaffRequest(TenantRequest):
    """A request that passed ``role_required``: the user is signed in."""

    user: User
