"""E-mail to a tenant's admins and contact address when its billing status changes."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from tenants.links import tenant_url
from tenants.models import Municipality, TenantStatus


def status_change_recipients(tenant: Municipality) -> list[str]:
    """The tenant's active admins (read in its own schema) and its contact address, without repeats."""
    with tenant:
        admins = list(
            User.objects.filter(role=Role.ADMIN, is_active=True, is_superuser=False)
            .order_by("email")
            .values_list("email", flat=True)
        )
    recipients = [*admins, tenant.contact_email] if tenant.contact_email else admins
    return list(dict.fromkeys(address.lower() for address in recipients if address))


def status_change_send(
    *, tenant: Municipality, old: TenantStatus, new: TenantStatus, reason: str, recipients: list[str]
) -> None:
    if not recipients:
        return
    # The platform speaks Swedish first; the e-mail goes out in the default language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "tenant": tenant,
            "old": TenantStatus(old).label,
            "new": TenantStatus(new).label,
            "new_code": new,
            "reason": reason,
            "billing_url": tenant_url(
                slug=tenant.schema_name, path=reverse("billing:page", urlconf=settings.ROOT_URLCONF)
            ),
        }
        subject = render_to_string("billing/email/status_changed_subject.txt", context).strip()
        body = render_to_string("billing/email/status_changed.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
