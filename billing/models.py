"""Billing records in the public schema: plans, one billing account per tenant, invoices, Stripe events.

The tenant's status itself lives on ``tenants.Municipality.status``; these records are what it is derived
from (see ``billing.lifecycle``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality, TenantStatus

VAT_RATE = Decimal("0.25")


class BillingInterval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class Plan(models.Model):
    """A price tier by the municipality's population. Prices are in whole SEK including 25 % VAT.

    Stripe price ids are configuration: set them here (Django admin) or in ``STRIPE_PRICE_IDS``.
    """

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)
    min_population = models.PositiveIntegerField(_("population from"))
    max_population = models.PositiveIntegerField(
        _("population up to"), null=True, blank=True, help_text=_("Empty: no upper limit.")
    )
    monthly_price_sek = models.PositiveIntegerField(_("monthly price (SEK incl. VAT)"))
    yearly_price_sek = models.PositiveIntegerField(_("yearly price (SEK incl. VAT)"))
    stripe_price_month = models.CharField(_("Stripe price id, monthly"), max_length=100, blank=True)
    stripe_price_year = models.CharField(_("Stripe price id, yearly"), max_length=100, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["min_population"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.max_population is not None and self.max_population < self.min_population:
            raise ValidationError({"max_population": _("The upper limit must not be below the lower.")})
        for field in ("stripe_price_month", "stripe_price_year"):
            value = getattr(self, field)
            if value and not value.startswith("price_"):
                raise ValidationError({field: _("A Stripe price id starts with “price_”.")})

    def price_sek(self, interval: str) -> int:
        return self.yearly_price_sek if interval == BillingInterval.YEAR else self.monthly_price_sek

    def monthly_equivalent_sek(self, interval: str) -> Decimal:
        if interval == BillingInterval.YEAR:
            return Decimal(self.yearly_price_sek) / 12
        return Decimal(self.monthly_price_sek)

    def fits(self, population: int) -> bool:
        return self.min_population <= population and (
            self.max_population is None or population <= self.max_population
        )


class BillingAccount(models.Model):
    """One per tenant, created when first needed; mirrors the tenant's Stripe customer and subscription."""

    tenant = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="billing_account", verbose_name=_("tenant")
    )
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2_000_000)],
    )
    trial_ends_at = models.DateTimeField(_("trial ends"))
    exempt = models.BooleanField(
        _("exempt from payment"), default=False, help_text=_("Pilots and the association itself.")
    )
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=100, blank=True)
    stripe_subscription_id = models.CharField(_("Stripe subscription"), max_length=100, blank=True)
    # Stripe's own subscription status (active, past_due, unpaid, canceled, …), as last read from Stripe.
    subscription_status = models.CharField(_("subscription status"), max_length=30, blank=True)
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts", verbose_name=_("plan")
    )
    price_interval = models.CharField(
        _("interval"), max_length=10, choices=BillingInterval.choices, blank=True
    )
    price_amount_ore = models.PositiveIntegerField(_("price (öre)"), null=True, blank=True)
    next_payment_at = models.DateTimeField(_("next payment"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("ends at period end"), default=False)
    payment_due_since = models.DateTimeField(_("payment overdue since"), null=True, blank=True)
    subscription_ended_at = models.DateTimeField(_("subscription ended"), null=True, blank=True)
    # When the mirrored subscription was created at Stripe: an event about an older subscription (say, one
    # cancelled before a new start) never overwrites a newer one.
    subscription_created_at = models.DateTimeField(_("subscription started"), null=True, blank=True)
    synced_at = models.DateTimeField(_("last read from Stripe"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")
        ordering = ["tenant__name"]

    def __str__(self) -> str:
        return str(self.tenant)

    @property
    def monthly_recurring_ore(self) -> int:
        """What this subscription brings in per month, in öre incl. VAT (a yearly price counts as 1/12)."""
        if self.subscription_status not in {"active", "past_due"} or not self.price_amount_ore:
            return 0
        if self.price_interval == BillingInterval.YEAR:
            return round(self.price_amount_ore / 12)
        return self.price_amount_ore


class Invoice(models.Model):
    """A Stripe invoice of a tenant's subscription, as reported by webhooks."""

    account = models.ForeignKey(
        BillingAccount, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("account")
    )
    stripe_invoice_id = models.CharField(_("Stripe invoice"), max_length=100, unique=True)
    number = models.CharField(_("number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20)
    amount_due_ore = models.PositiveIntegerField(_("amount due (öre)"), default=0)
    amount_paid_ore = models.PositiveIntegerField(_("amount paid (öre)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="sek")
    issued_at = models.DateTimeField(_("issued"))
    hosted_invoice_url = models.URLField(_("invoice page"), max_length=500, blank=True)
    invoice_pdf = models.URLField(_("PDF"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number or self.stripe_invoice_id


class StripeEventStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be processed")
    PROCESSED = "processed", _("Processed")
    FAILED = "failed", _("Failed")


class StripeEvent(models.Model):
    """The webhook's inbox: every verified Stripe event, stored in the request that answers Stripe.

    Stripe does not resend an event it got a 200 for, so the event is kept here before the answer and
    processed from here (``billing.inbox``), retried with growing pauses until it is applied or, after
    ``STRIPE_EVENT_RETRY_HOURS``, marked failed for an operator. Marking it processed happens in the same
    transaction as its effect, so a repeated delivery or a second attempt changes nothing.
    """

    event_id = models.CharField(_("event"), max_length=100, unique=True)
    event_type = models.CharField(_("type"), max_length=100)
    # The verified body exactly as Stripe sent it.
    payload = models.TextField(_("payload"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StripeEventStatus.choices, default=StripeEventStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-id"]
        indexes = [
            # The retry sweep reads the pending events that are due, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="billing_stripeevent_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class TenantStatusChange(models.Model):
    """History of a tenant's billing status, for support and for the e-mails sent."""

    tenant = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("tenant")
    )
    old_status = models.CharField(_("from"), max_length=20, choices=TenantStatus.choices)
    new_status = models.CharField(_("to"), max_length=20, choices=TenantStatus.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.tenant}: {self.old_status} → {self.new_status}"
