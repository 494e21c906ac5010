"""Sequences of Stripe events about one subscription, with Stripe's state at the end set in the fake."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from billing.models import BillingAccount, Invoice
from billing.tests.fake_stripe import FakeStripe, event
from tenants.models import Municipality

DAY = 86400


@dataclass
class Story:
    events: list[dict[str, Any]]
    subscription_id: str
    customer_id: str


def paid_after_a_failed_first_attempt(fake: FakeStripe, tenant: str = "varnamo") -> Story:
    """Checkout, the first charge fails, the retry succeeds: the subscription ends active, the invoice paid."""
    t0 = int(time.time()) - 2 * DAY
    customer = fake.new_id("cus")
    invoice = fake.add_invoice(
        tenant=tenant, customer=customer, subscription="", amount_ore=99500, created=t0
    )
    sub = fake.add_subscription(
        tenant=tenant,
        customer=customer,
        price_id="price_medium_month",
        amount_ore=99500,
        created=t0,
        latest_invoice=invoice["id"],
    )
    invoice["parent"]["subscription_details"]["subscription"] = sub["id"]
    session = {
        "id": fake.new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "client_reference_id": tenant,
        "customer": customer,
        "subscription": sub["id"],
        "metadata": {"tenant": tenant, "kind": "subscription"},
    }
    events = [
        event("checkout.session.completed", session, created=t0),
        event("customer.subscription.created", {**sub, "status": "incomplete"}, created=t0),
        event("invoice.payment_failed", {**invoice, "status": "open", "amount_paid": 0}, created=t0 + 60),
        event("invoice.paid", invoice, created=t0 + DAY),
        event("customer.subscription.updated", sub, created=t0 + DAY),
    ]
    return Story(events, sub["id"], customer)


def renewal_fails(fake: FakeStripe, tenant: str = "varnamo") -> Story:
    """Paid at first, the renewal fails: the subscription ends past due, the first invoice paid, the second open."""
    t0 = int(time.time()) - 40 * DAY
    t1 = int(time.time()) - 3 * DAY
    customer = fake.new_id("cus")
    first = fake.add_invoice(tenant=tenant, customer=customer, subscription="", amount_ore=99500, created=t0)
    second = fake.add_invoice(
        tenant=tenant, customer=customer, subscription="", amount_ore=99500, created=t1, status="open"
    )
    sub = fake.add_subscription(
        tenant=tenant,
        customer=customer,
        price_id="price_medium_month",
        amount_ore=99500,
        created=t0,
        status="past_due",
        latest_invoice=second["id"],
    )
    for invoice in (first, second):
        invoice["parent"]["subscription_details"]["subscription"] = sub["id"]
    events = [
        event("customer.subscription.created", {**sub, "status": "active"}, created=t0),
        event("invoice.paid", first, created=t0),
        event("invoice.payment_failed", second, created=t1),
        event("customer.subscription.updated", sub, created=t1),
    ]
    return Story(events, sub["id"], customer)


def snapshot(tenant_slug: str = "varnamo") -> tuple[Any, ...]:
    """Everything the events can change, in a comparable form."""
    tenant = Municipality.objects.get(schema_name=tenant_slug)
    account = BillingAccount.objects.select_related("plan").get(tenant=tenant)
    invoices = tuple(
        Invoice.objects.filter(account=account)
        .order_by("stripe_invoice_id")
        .values_list("stripe_invoice_id", "status", "amount_paid_ore")
    )
    return (
        tenant.status,
        account.stripe_customer_id,
        account.stripe_subscription_id,
        account.subscription_status,
        account.plan.code if account.plan else None,
        account.price_interval,
        account.price_amount_ore,
        account.next_payment_at,
        account.payment_due_since,
        invoices,
    )
