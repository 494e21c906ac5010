"""``{% billing_banner %}``: tells a tenant's admins (and, once read-only, everyone) about payment trouble."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from accounts.roles import Role
from billing.selectors import billing_account_of, verdict_for
from tenants.models import Municipality, TenantStatus

register = template.Library()

# The admins hear that the trial is ending this long before it does.
TRIAL_WARNING = timedelta(days=7)


@register.inclusion_tag("billing/banner.html", takes_context=True)
def billing_banner(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if tenant is None or tenant.schema_name == "public" or user is None or not user.is_authenticated:
        return {"show": False}
    status = tenant.status
    is_admin = getattr(user, "role", None) == Role.ADMIN
    if status == TenantStatus.SUSPENDED:
        return {"show": True, "kind": "suspended", "is_admin": is_admin}
    if not is_admin:
        return {"show": False}
    return _admin_banner(tenant)


def _admin_banner(tenant: Municipality) -> dict[str, Any]:
    """Payment past due or a trial about to end: only the admins hear of it, they can act on it."""
    status = tenant.status
    account = billing_account_of(tenant) if status in {TenantStatus.PAST_DUE, TenantStatus.TRIAL} else None
    if account is None:
        return {"show": False}
    if status == TenantStatus.PAST_DUE:
        return {
            "show": True,
            "kind": "past_due",
            "is_admin": True,
            "suspends_at": verdict_for(account).suspends_at,
        }
    if account.subscription_status or account.trial_ends_at - timezone.now() > TRIAL_WARNING:
        return {"show": False}
    return {"show": True, "kind": "trial", "is_admin": True, "trial_ends_at": account.trial_ends_at}
