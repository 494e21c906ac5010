"""Reads of billing records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from billing.lifecycle import Verdict, billing_verdict
from billing.models import (
    VAT_RATE,
    BillingAccount,
    BillingInterval,
    Invoice,
    Plan,
    StripeEvent,
    StripeEventStatus,
)
from tenants.models import Municipality


def plans_offered() -> QuerySet[Plan]:
    """The price table: every offered tier, smallest first (also for the public site's price list)."""
    return Plan.objects.filter(is_active=True).order_by("min_population")


def plan_for_population(population: int) -> Plan | None:
    for plan in plans_offered():
        if plan.fits(population):
            return plan
    return None


def plan_price_id(plan: Plan, interval: str) -> str:
    """The Stripe price id of a plan and interval: the plan's own field, else STRIPE_PRICE_IDS; '' if none."""
    own = plan.stripe_price_year if interval == BillingInterval.YEAR else plan.stripe_price_month
    return own or settings.STRIPE_PRICE_IDS.get(f"{plan.code}:{interval}", "")


def plan_for_price_id(price_id: str) -> tuple[Plan | None, str]:
    """The plan and interval a Stripe price id belongs to (None, '') when it is none of ours."""
    for plan in Plan.objects.all():
        for interval in BillingInterval.values:
            if price_id and plan_price_id(plan, interval) == price_id:
                return plan, interval
    return None, ""


def price_excluding_vat(price_incl_vat: int | Decimal) -> Decimal:
    return (Decimal(price_incl_vat) / (1 + VAT_RATE)).quantize(Decimal("0.01"))


def trial_end_for(tenant: Municipality) -> datetime:
    """The free trial ends this long after the tenant was created, whichever way it was created."""
    return tenant.created + timedelta(days=settings.BILLING_TRIAL_DAYS)


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


def billing_account_of(tenant: Municipality) -> BillingAccount | None:
    return BillingAccount.objects.filter(tenant=tenant).select_related("plan").first()


def verdict_for(account: BillingAccount, *, now: datetime | None = None) -> Verdict:
    return billing_verdict(account, now=now or timezone.now(), grace=grace_period())


def invoices_for_user(*, actor: User, account: BillingAccount, limit: int = 24) -> QuerySet[Invoice]:
    """The tenant's invoices, newest first; only its admin sees the billing page that calls this."""
    return Invoice.objects.filter(account=account).order_by("-issued_at", "-id")[:limit]


@dataclass(frozen=True)
class OperatorRow:
    tenant: Municipality
    account: BillingAccount | None
    trial_ends_at: datetime
    monthly_recurring_ore: int

    @property
    def exempt(self) -> bool:
        # The association is exempt from the start, before its billing account exists.
        return self.account.exempt if self.account else self.tenant.is_association


@dataclass(frozen=True)
class OperatorOverview:
    rows: list[OperatorRow]
    mrr_ore: int

    @property
    def mrr_excluding_vat_ore(self) -> int:
        return round(self.mrr_ore / (1 + VAT_RATE))


def operator_overview(*, actor: User) -> OperatorOverview:
    """Every tenant with its plan, status and next payment, and the monthly recurring revenue in total.

    Two queries whatever the number of tenants: tenants with their accounts and plans in one join.
    """
    tenants = (
        Municipality.objects.exclude(schema_name=get_public_schema_name())
        .select_related("billing_account__plan")
        .order_by("name")
    )
    rows = []
    for tenant in tenants:
        account = getattr(tenant, "billing_account", None)
        rows.append(
            OperatorRow(
                tenant=tenant,
                account=account,
                trial_ends_at=account.trial_ends_at if account else trial_end_for(tenant),
                monthly_recurring_ore=account.monthly_recurring_ore if account else 0,
            )
        )
    return OperatorOverview(rows=rows, mrr_ore=sum(row.monthly_recurring_ore for row in rows))


@dataclass(frozen=True)
class StripeEventAttention:
    """What an operator must look at in the webhook's inbox: failed events, and those still retrying."""

    failed: list[StripeEvent]
    failed_count: int
    retrying_count: int


def stripe_events_needing_attention(*, actor: User, limit: int = 50) -> StripeEventAttention:
    """Failed events, newest first (at most ``limit``), and how many are failed and still being retried."""
    failed = StripeEvent.objects.filter(status=StripeEventStatus.FAILED)
    return StripeEventAttention(
        failed=list(failed.order_by("-received_at", "-id")[:limit]),
        failed_count=failed.count(),
        retrying_count=StripeEvent.objects.filter(status=StripeEventStatus.PENDING, attempts__gt=0).count(),
    )
