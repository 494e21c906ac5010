"""``{% billing_banner %}``: tells a tenant's admins (and, once read-only, everyone) about payment trouble."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from accounts.roles import Role
from billing.selectors import billing_account_of, verdict_for
from tenants.models import TenantStatus

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
    if tenant.is_held:
        return {"show": True, "kind": "held", "is_admin": False, "reason": tenant.hold_reason}
    if status == TenantStatus.SUSPENDED:
        return {"show": True, "kind": "suspended", "is_admin": is_admin}
    if not is_admin or status not in {TenantStatus.PAST_DUE, TenantStatus.TRIAL}:
        return {"show": False}
    account = billing_account_of(tenant)
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
