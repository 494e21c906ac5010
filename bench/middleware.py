"""Middleware for the routing figure's baseline only; never in a real deployment's MIDDLEWARE."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.http import HttpRequest, HttpResponse

from tenants.models import Municipality


class FixedTenantMiddleware:
    """Serves every request as one tenant chosen before the first request, as a single-tenant deployment
    would: no host lookup and no schema switch per request. The figure sets ``tenant`` and points the
    connection at its schema once."""

    tenant: ClassVar[Municipality | None] = None

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.tenant is None:
            raise RuntimeError("FixedTenantMiddleware.tenant is not set.")
        request.tenant = self.tenant  # type: ignore[attr-defined]
        return self.get_response(request)
