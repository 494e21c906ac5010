"""A new space's first pages on its own host: the welcome, choosing a password, the checklist."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import Role
from ivplatform.http import StaffRequest, TenantRequest
from tenants.checklist import checklist_for_tenant
from tenants.emails import password_email_send, password_link
from tenants.links import request_link_origin
from tenants.ratelimit import rate_limit_exceeded
from tenants.selectors import tenant_first_admin

RESEND_LIMIT = (3, 60 * 60)


def _masked(email: str) -> str:
    """``gunilla@gnosjo.se`` → ``g…a@gnosjo.se``: enough to recognise, not enough to harvest."""
    local, _at, domain = email.partition("@")
    shown = local[0] + "…" + local[-1] if len(local) > 2 else local[:1] + "…"
    return f"{shown}@{domain}"


def welcome(request: TenantRequest) -> HttpResponse:
    """Where the progress page lands: the new space, logged out, waiting for the password e-mail."""
    admin = tenant_first_admin(tenant=request.tenant)
    waiting = admin is not None and not admin.has_usable_password()
    if request.method == "POST" and waiting and admin is not None:
        if rate_limit_exceeded(scope="welcome-resend", key=request.tenant.schema_name, limit=RESEND_LIMIT):
            messages.error(request, _("A link was sent several times already. Please wait an hour."))
        else:
            scheme, port = request_link_origin(request)
            link = password_link(user=admin, scheme=scheme, port=port, slug=request.tenant.schema_name)
            password_email_send(user=admin, link=link, network=request.tenant.name, language=get_language())
            messages.success(
                request, _("We have sent a new link to %(email)s.") % {"email": _masked(admin.email)}
            )
        return redirect("welcome")
    context = {"waiting": waiting, "masked_email": _masked(admin.email) if admin else ""}
    return render(request, "tenants/welcome.html", context)


class WelcomePasswordView(auth_views.PasswordResetConfirmView):
    """Choose the first password from the e-mailed link, then straight to the checklist, signed in."""

    template_name = "tenants/welcome_password.html"
    post_reset_login = True
    reset_url_token = "choose-password"  # noqa: S105 - the URL segment Django puts in place of the token
    success_url = reverse_lazy("getting-started")

    # A property where Django has an attribute: the backends are each environment's settings.
    @property
    def post_reset_login_backend(self) -> str:  # type: ignore[override]
        # Several backends are configured (lockout first); the password one is last in every environment.
        return str(settings.AUTHENTICATION_BACKENDS[-1])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Choose your password")
        return context


@role_required(Role.ADMIN)
def getting_started(request: StaffRequest) -> HttpResponse:
    return render(
        request, "tenants/getting_started.html", {"entries": checklist_for_tenant(actor=request.user)}
    )
