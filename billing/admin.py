"""Django admin on the public host: plans and price ids, billing accounts, invoices, events, status history."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.inbox import stripe_event_retry
from billing.models import BillingAccount, Invoice, Plan, StripeEvent, StripeEventStatus, TenantStatusChange
from billing.services import BillingError


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "min_population",
        "max_population",
        "monthly_price_sek",
        "yearly_price_sek",
        "is_active",
    )
    list_editable = ("is_active",)


class InvoiceInline(admin.TabularInline):
    model = Invoice
    extra = 0
    can_delete = False
    fields = ("number", "status", "amount_due_ore", "amount_paid_ore", "issued_at", "hosted_invoice_url")
    readonly_fields = fields


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = (
        "tenant",
        "subscription_status",
        "plan",
        "price_interval",
        "next_payment_at",
        "trial_ends_at",
        "exempt",
    )
    list_filter = ("subscription_status", "exempt", "plan")
    search_fields = ("tenant__name", "tenant__schema_name", "stripe_customer_id", "stripe_subscription_id")
    list_select_related = ("tenant", "plan")
    # What Stripe reports is mirrored, never typed in: change it in Stripe and the webhook brings it here.
    readonly_fields = (
        "tenant",
        "stripe_customer_id",
        "stripe_subscription_id",
        "subscription_status",
        "plan",
        "price_interval",
        "price_amount_ore",
        "next_payment_at",
        "cancel_at_period_end",
        "payment_due_since",
        "subscription_ended_at",
        "subscription_created_at",
        "synced_at",
    )
    inlines = [InvoiceInline]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    """The webhook's inbox. Failed events show their error; "process again" tries them once more."""

    list_display = ("event_id", "event_type", "status", "attempts", "received_at", "next_attempt_at", "error")
    list_filter = ("status", "event_type")
    search_fields = ("event_id", "event_type", "last_error")
    actions = ("process_again",)
    readonly_fields = (
        "event_id",
        "event_type",
        "status",
        "attempts",
        "received_at",
        "next_attempt_at",
        "processed_at",
        "last_error",
        "payload",
    )

    @admin.display(description=gettext_lazy("last error"))
    def error(self, obj: StripeEvent) -> str:
        return obj.last_error[:120] + ("…" if len(obj.last_error) > 120 else "")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # events come from Stripe only

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description=gettext_lazy("Process the selected failed events again"))
    def process_again(self, request: HttpRequest, queryset: QuerySet[StripeEvent]) -> None:
        for event in queryset:
            if event.status != StripeEventStatus.FAILED:
                messages.warning(
                    request, _("%(event)s was skipped: it has not failed.") % {"event": event.event_id}
                )
                continue
            try:
                stripe_event_retry(event_pk=event.pk, actor=request.user)  # type: ignore[arg-type]
            except BillingError as exc:
                messages.error(request, f"{event.event_id}: {exc}")
            else:
                messages.success(
                    request, _("%(event)s is being processed again.") % {"event": event.event_id}
                )


@admin.register(TenantStatusChange)
class TenantStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("tenant", "old_status", "new_status", "reason", "created")
    list_filter = ("new_status",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
