from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Per token (or per signed-in user for the browser session, per address otherwise).

    The cache key function adds the tenant's schema, so equal ids in two tenants never share a budget.
    """

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
