"""Django admin on the public host: plans and price ids, billing accounts, invoices, events, status history."""

from django.contrib import admin

from billing.models import BillingAccount, Invoice, Plan, ProcessedStripeEvent, TenantStatusChange


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
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


class InvoiceInline(admin.TabularInline[Invoice, BillingAccount]):
    model = Invoice
    extra = 0
    can_delete = False
    fields = ("number", "status", "amount_due_ore", "amount_paid_ore", "issued_at", "hosted_invoice_url")
    readonly_fields = fields


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin[BillingAccount]):
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


@admin.register(ProcessedStripeEvent)
class ProcessedStripeEventAdmin(admin.ModelAdmin[ProcessedStripeEvent]):
    list_display = ("event_id", "event_type", "processed_at")
    search_fields = ("event_id", "event_type")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TenantStatusChange)
class TenantStatusChangeAdmin(admin.ModelAdmin[TenantStatusChange]):
    list_display = ("tenant", "old_status", "new_status", "reason", "created")
    list_filter = ("new_status",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
