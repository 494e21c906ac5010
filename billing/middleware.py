"""A suspended tenant is read-only: every write on its host is refused; reading and exports go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import error_body
from tenants.models import TenantStatus

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


def read_only_message() -> str:
    return _(
        "This network's space is read-only because its subscription is unpaid. You can still read and "
        "export everything; changes are possible again as soon as the payment has been made."
    )


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
        if tenant is None or tenant.status != TenantStatus.SUSPENDED:
            return None
        match = request.resolver_match
        if getattr(view_func, "allowed_when_suspended", False) or (
            match is not None and match.view_name in ALWAYS_ALLOWED_URL_NAMES
        ):
            return None
        message = read_only_message()
        wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        )
        if wants_json:
            return JsonResponse(error_body(403, "tenant_read_only", message), status=403)
        return render(request, "billing/read_only.html", {"message": message}, status=403)
