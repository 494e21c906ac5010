from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.two_factor import pending_step
from ivplatform.http import TenantRequest


def _navigation(request: TenantRequest) -> list[tuple[str, str]]:
    """Links fitting the signed-in user's role on this host: only pages that user may open."""
    from django.urls import reverse

    user = getattr(request, "user", None)  # absent on an unknown host: routing stopped before auth
    if user is None or not user.is_authenticated or getattr(request, "tenant", None) is None:
        return []
    if request.tenant.schema_name == "public":
        links = [(_("Administration"), reverse("admin:index"))] if user.is_staff else []
        if user.is_superuser:
            links.append((_("Billing overview"), reverse("billing-public:operator")))
        return links
    if pending_step(request) is not None:  # no menu until the two-factor step is done
        return []
    links = [(_("Start"), reverse("core:staff-home"))]
    if user.role in (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER):
        links.append((_("People"), reverse("core:person-list")))
        links.append((_("Households"), reverse("core:household-list")))
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        links.append((_("Partners"), reverse("core:partner-list")))
        links.append((_("Sign-ups"), reverse("portal:inbox")))
    if user.role == Role.ADMIN:
        links.append((_("Users"), reverse("users:list")))
        links.append((_("Getting started"), reverse("getting-started")))
        links.append((_("Audit log"), reverse("audit:log")))
        links.append((_("Retention"), reverse("core:privacy-retention")))
        links.append((_("Public page"), reverse("portal:settings")))
        links.append((_("Billing"), reverse("billing:page")))
        links.append((_("Donations"), reverse("donations:manage")))
    if user.role in (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER):
        links.append((_("Activities"), reverse("core:activity-list")))
        links.append((_("Sessions"), reverse("core:session-list")))
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        links.append((_("Projects"), reverse("core:project-list")))
        links.append((_("Follow-up"), reverse("core:followup")))
        links.append((_("Matching"), reverse("core:matching-home")))
        links.append((_("Pathways"), reverse("core:pathway-list")))
    links.append((_("API tokens"), reverse("api:tokens")))
    if user.role == Role.BOARD and request.tenant.is_association:
        links.append((_("Member municipalities"), reverse("core:board-members")))
        links.append((_("Sign-ups"), reverse("board-applications")))
        links.append((_("Statistics"), reverse("stats:dashboard")))
        links.append((_("Funder reports"), reverse("stats:board-report")))
    if user.role in (Role.ADMIN, Role.COORDINATOR) and not request.tenant.is_association:
        links.append((_("Funder reports"), reverse("stats:local-report")))
    return links


def _switch_languages(request: TenantRequest) -> list[tuple[str, str]]:
    """The languages the switch offers here: all on newcomer-facing pages, Swedish and English elsewhere."""
    if getattr(request, "public_page", False):
        return list(settings.LANGUAGES)
    return [(code, name) for code, name in settings.LANGUAGES if code in settings.STAFF_LANGUAGES]


def platform(request: TenantRequest) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    return {
        "switch_languages": _switch_languages(request),
        "tenant": tenant,
        "is_public_host": tenant is None or tenant.schema_name == "public",
        "navigation": _navigation(request),
        "base_domain": settings.BASE_DOMAIN,
    }
