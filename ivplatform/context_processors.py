from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.two_factor import pending_step
from ivplatform.http import TenantRequest


class NavGroup(NamedTuple):
    label: str
    links: list[tuple[str, str]]


def _navigation(request: TenantRequest) -> list[NavGroup]:
    """Links fitting the signed-in user's role on this host, only pages that user may open: the daily work
    first, then settings. On a phone the menu opens from a button (templates/base.html)."""
    from django.urls import reverse

    user = getattr(request, "user", None)  # absent on an unknown host: routing stopped before auth
    if user is None or not user.is_authenticated or getattr(request, "tenant", None) is None:
        return []
    if pending_step(request) is not None:  # no menu until the two-factor step is done
        return []
    if request.tenant.schema_name == "public":
        links = [(_("Administration"), reverse("admin:index"))] if user.is_staff else []
        if user.is_superuser:
            links.append((_("Billing overview"), reverse("billing-public:operator")))
        return [NavGroup(_("Operator"), links)] if links else []
    staff = user.role in (Role.ADMIN, Role.COORDINATOR)
    work = [(_("Start"), reverse("home:staff-home"))]
    if user.role in (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER):
        work.append((_("People"), reverse("people:person-list")))
        work.append((_("Households"), reverse("people:household-list")))
        work.append((_("Activities"), reverse("activities:activity-list")))
        work.append((_("Sessions"), reverse("activities:session-list")))
    if staff:
        work.append((_("Follow-up"), reverse("activities:followup")))
        work.append((_("Matching"), reverse("matching:matching-home")))
        work.append((_("Pathways"), reverse("matching:pathway-list")))
        work.append((_("Partners"), reverse("partners:partner-list")))
        work.append((_("Sign-ups"), reverse("portal:inbox")))
        work.append((_("Projects"), reverse("activities:project-list")))
    if staff and not request.tenant.is_association:
        work.append((_("Funder reports"), reverse("stats:local-report")))
    if user.role == Role.BOARD and request.tenant.is_association:
        work.append((_("Member municipalities"), reverse("home:board-members")))
        work.append((_("Sign-ups"), reverse("board-applications")))
        work.append((_("Statistics"), reverse("stats:dashboard")))
        work.append((_("Funder reports"), reverse("stats:board-report")))
    settings_links = []
    if user.role == Role.ADMIN:
        settings_links.append((_("Users"), reverse("users:list")))
        settings_links.append((_("Getting started"), reverse("getting-started")))
        settings_links.append((_("Public page"), reverse("portal:settings")))
        settings_links.append((_("Donations"), reverse("donations:manage")))
        settings_links.append((_("Billing"), reverse("billing:page")))
        settings_links.append((_("Retention"), reverse("privacy:privacy-retention")))
        settings_links.append((_("Audit log"), reverse("audit:log")))
    settings_links.append((_("API tokens"), reverse("api:tokens")))
    return [NavGroup(_("Our work"), work), NavGroup(_("Settings"), settings_links)]


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
