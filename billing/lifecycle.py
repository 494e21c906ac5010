"""The tenant's billing status as a pure function of its billing account and the time.

Keeping it pure makes the order of webhook deliveries irrelevant: every event only refreshes the account
from Stripe's current state, and the status is recomputed from that state, never stepped from the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount
from tenants.models import TenantStatus

# Stripe subscription statuses, grouped by what they mean for the tenant.
PAID_UP = frozenset({"active"})
OVERDUE = frozenset({"past_due", "unpaid", "incomplete"})
LIVE_SUBSCRIPTION = frozenset({"active", "trialing", "past_due", "unpaid", "incomplete", "paused"})

# The statuses billing moves a tenant between; provisioning and archived are never touched.
MANAGED_STATUSES = frozenset(
    {TenantStatus.TRIAL, TenantStatus.ACTIVE, TenantStatus.PAST_DUE, TenantStatus.SUSPENDED}
)


@dataclass(frozen=True)
class Verdict:
    status: TenantStatus
    reason: str | Promise
    # When a tenant that is overdue becomes read-only (None when nothing is overdue).
    suspends_at: datetime | None = None


def billing_verdict(account: BillingAccount, *, now: datetime, grace: timedelta) -> Verdict:
    if account.exempt:
        return Verdict(TenantStatus.ACTIVE, _("exempt from payment"))
    sub = account.subscription_status
    if sub in PAID_UP:
        return Verdict(TenantStatus.ACTIVE, _("the subscription is paid"))
    if sub == "trialing":
        # A subscription started during the free trial: Stripe charges the card when the trial ends.
        return Verdict(TenantStatus.TRIAL, _("subscribed, first payment when the trial ends"))
    if now < account.trial_ends_at:
        return Verdict(TenantStatus.TRIAL, _("the free trial is running"))

    if sub in OVERDUE:
        due_since = max(account.payment_due_since or now, account.trial_ends_at)
        reason = _("a payment has failed")
    else:
        # No subscription, or one that has ended: unpaid since the trial or the subscription ended.
        due_since = max(account.trial_ends_at, account.subscription_ended_at or account.trial_ends_at)
        reason = _("the subscription has ended") if sub else _("the trial ended without a subscription")
    suspends_at = due_since + grace
    if now < suspends_at:
        return Verdict(TenantStatus.PAST_DUE, reason, suspends_at)
    return Verdict(TenantStatus.SUSPENDED, reason, suspends_at)
