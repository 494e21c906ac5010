from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from accounts.roles import Role


class HasRole(BasePermission):
    """The same roles as the pages: ``read_roles`` may read, ``write_roles`` may change.

    Views declare both; a view that declares neither is closed, so forgetting is safe.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            return False
        roles: frozenset[Role] = (
            getattr(view, "read_roles", frozenset())
            if request.method in SAFE_METHODS
            else getattr(view, "write_roles", frozenset())
        )
        if getattr(view, "association_only", False) and not tenant.is_association:
            return False
        return bool(user.has_role(*roles))
