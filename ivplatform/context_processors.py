from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Role
from ivplatform.http import TenantRequest


def _navigation(request: TenantRequest) -> list[tuple[str, str]]:
    """Links fitting the signed-in user's role on this host: only pages that user may open."""
    from django.urls import reverse

    user = getattr(request, "user", None)  # absent on an unknown host: routing stopped before auth
    if user is None or not user.is_authenticated or getattr(request, "tenant", None) is None:
        return []
    if request.tenant.schema_name == "public":
        return [(_("Administration"), reverse("admin:index"))] if user.is_staff else []
    links = [(_("Start"), reverse("core:staff-home"))]
    if user.role == Role.ADMIN:
        links.append((_("Users"), reverse("core:user-list")))
    if user.role == Role.BOARD and request.tenant.is_association:
        links.append((_("Member municipalities"), reverse("core:board-members")))
        links.append((_("Statistics"), reverse("stats:dashboard")))
        links.append((_("Funder reports"), reverse("stats:board-report")))
    if user.role in (Role.ADMIN, Role.COORDINATOR) and not request.tenant.is_association:
        links.append((_("Funder reports"), reverse("stats:local-report")))
    return links


def platform(request: TenantRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    return {
        "tenant": tenant,
        "is_public_host": tenant is None or tenant.schema_name == "public",
        "navigation": _navigation(request),
        "base_domain": settings.BASE_DOMAIN,
    }
