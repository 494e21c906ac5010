"""A suspended or held tenant is read-only: every write on its host is refused; reading and exports go on.

The decision is made from the tenant's row as it is now, not from the copy host routing may have kept for
a few seconds (``TENANT_ROUTING_CACHE_SECONDS``, per web process): a suspension, a hold or its lifting by
any process (a webhook worker, an operator, the daily refresh) applies to the very next write everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import error_body
from tenants.models import Municipality, TenantHold, TenantStatus

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Writes a suspended tenant still needs: signing in (with its two-factor step) and out, getting back in
# with a password reset, choosing a language. The billing views that lead to payment mark themselves
# with ``allowed_when_suspended``.
ALWAYS_ALLOWED_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two-factor-verify",
        "accounts:two-factor-setup",
        "accounts:password-reset",
        "accounts:password-reset-confirm",
        "set_language",
    }
)

View = Callable[..., HttpResponse]


def allowed_when_suspended(view: View) -> View:
    """Let this view accept writes on a suspended tenant's host (only what leads to paying)."""
    view.allowed_when_suspended = True  # type: ignore[attr-defined]
    return view


def read_only_message(tenant: Municipality | None = None) -> str:
    if tenant is not None and tenant.is_held:
        return _(
            "This network's space has been suspended by the platform and is read-only: %(reason)s. You "
            "can still read and export everything; contact the platform to have the suspension lifted."
        ) % {"reason": tenant.hold_reason}
    return _(
        "This network's space is read-only because its subscription is unpaid. You can still read and "
        "export everything; changes are possible again as soon as the payment has been made."
    )


def tenant_refresh_status(tenant: Municipality) -> None:
    """Read the tenant's status and hold from its row now (one small query), into ``tenant``."""
    current = (
        Municipality.objects.filter(pk=tenant.pk)
        .values("status", "hold", "hold_reason", "hold_set_by", "hold_set_at")
        .first()
    )
    if current is None:  # deleted since it was routed: nothing may be written
        tenant.status, tenant.hold = TenantStatus.ARCHIVED, TenantHold.ARCHIVED
        return
    for field, value in current.items():
        setattr(tenant, field, value)


class SuspendedTenantReadOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: View, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS:
            return None
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            return None
        tenant_refresh_status(tenant)
        if not tenant.is_read_only:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALWAYS_ALLOWED_URL_NAMES:
            return None
        # Paying ends billing's suspension, so its way stays open; an operator's hold only an operator lifts.
        if not tenant.is_held and getattr(view_func, "allowed_when_suspended", False):
            return None
        message = read_only_message(tenant)
        wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            return JsonResponse(error_body(403, "tenant_read_only", message), status=403)
        return render(request, "billing/read_only.html", {"message": message}, status=403)
