"""Nightly reconciliation: every tenant's subscription is read from Stripe and drift is corrected, logged."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from billing.models import BillingAccount
from billing.services import billing_account_ensure, stripe_event_apply
from billing.tasks import billing_subscriptions_reconcile
from billing.tests.fake_stripe import FakeStripe, event
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


def overdue(slug: str, **fields: Any) -> BillingAccount:
    """``slug``'s trial ended long ago and it is past due; its account set to ``fields``."""
    account = billing_account_ensure(tenant=Municipality.objects.get(schema_name=slug))
    BillingAccount.objects.filter(pk=account.pk).update(
        trial_ends_at=timezone.now() - timedelta(days=60), **fields
    )
    Municipality.objects.filter(schema_name=slug).update(status=TenantStatus.PAST_DUE)
    account.refresh_from_db()
    return account


def status_of(slug: str) -> str:
    return Municipality.objects.get(schema_name=slug).status


def test_the_reconciliation_runs_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["billing-subscriptions-reconcile"]
    assert entry["task"] == "billing.tasks.billing_subscriptions_reconcile"


def test_a_subscription_whose_webhook_never_came_is_found_and_mirrored(
    fake_stripe: FakeStripe, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    # The admin went through Checkout (the customer exists), paid, and no event ever arrived.
    account = overdue("varnamo", stripe_customer_id="cus_lost")
    sub = fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_lost", price_id="price_medium_month", amount_ore=99500
    )
    with (
        caplog.at_level(logging.INFO, logger="billing.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        corrected = billing_subscriptions_reconcile.delay().get()
    assert corrected == 1
    account.refresh_from_db()
    assert (account.stripe_subscription_id, account.subscription_status) == (sub["id"], "active")
    assert account.plan is not None and account.plan.code == "medium"
    assert status_of("varnamo") == TenantStatus.ACTIVE
    logged = caplog.text
    assert f"Reconciled varnamo with Stripe: stripe_subscription_id  → {sub['id']}" in logged
    assert "subscription_status  → active" in logged
    assert "tenant status past_due → active" in logged
    assert "1 corrected" in logged


def test_a_cancellation_never_heard_of_is_corrected(fake_stripe: FakeStripe) -> None:
    now = int(time.time())
    sub = fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_c", price_id="price_medium_month", amount_ore=99500
    )
    stripe_event_apply(event=event("customer.subscription.created", sub))
    assert status_of("varnamo") == TenantStatus.ACTIVE
    # Cancelled in Stripe's dashboard; the "deleted" event was lost.
    sub.update(status="canceled", ended_at=now - 20 * 86400)
    BillingAccount.objects.filter(tenant__schema_name="varnamo").update(
        trial_ends_at=timezone.now() - timedelta(days=90)
    )
    assert billing_subscriptions_reconcile.delay().get() == 1
    account = BillingAccount.objects.get(tenant__schema_name="varnamo")
    assert account.subscription_status == "canceled"
    assert account.next_payment_at is None
    assert status_of("varnamo") == TenantStatus.SUSPENDED  # ended 20 days ago, past the 14 days' grace


def test_accounts_in_step_with_stripe_are_left_as_they_are(
    fake_stripe: FakeStripe, caplog: pytest.LogCaptureFixture
) -> None:
    sub = fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_s", price_id="price_small_year", amount_ore=495000, interval="year"
    )
    stripe_event_apply(event=event("customer.subscription.created", sub))
    before = BillingAccount.objects.values().get(tenant__schema_name="varnamo")
    with caplog.at_level(logging.INFO, logger="billing.services"):
        assert billing_subscriptions_reconcile.delay().get() == 0
    after = BillingAccount.objects.values().get(tenant__schema_name="varnamo")
    assert {k: v for k, v in after.items() if k not in {"synced_at", "updated"}} == {
        k: v for k, v in before.items() if k not in {"synced_at", "updated"}
    }
    assert "Reconciled varnamo" not in caplog.text
    assert "1 accounts checked, 0 corrected, 0 could not be read" in caplog.text


def test_a_tenant_stripe_cannot_answer_for_does_not_stop_the_others(
    fake_stripe: FakeStripe, caplog: pytest.LogCaptureFixture
) -> None:
    overdue("vaggeryd", stripe_subscription_id="sub_deleted_in_test_mode")  # Stripe answers 404
    account = overdue("varnamo", stripe_customer_id="cus_ok")
    fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_ok", price_id="price_medium_month", amount_ore=99500
    )
    with caplog.at_level(logging.INFO, logger="billing.services"):
        assert billing_subscriptions_reconcile.delay().get() == 1
    account.refresh_from_db()
    assert account.subscription_status == "active"
    assert "Could not reconcile vaggeryd with Stripe: InvalidRequestError" in caplog.text
    assert "2 accounts checked, 1 corrected, 1 could not be read" in caplog.text


def test_tenants_without_anything_at_stripe_are_not_asked_about(fake_stripe: FakeStripe) -> None:
    overdue("varnamo")
    assert billing_subscriptions_reconcile.delay().get() == 0
    assert fake_stripe.requests == []


def test_the_command_reconciles_at_once(fake_stripe: FakeStripe) -> None:
    import io

    from django.core.management import call_command

    overdue("varnamo", stripe_customer_id="cus_cmd")
    fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_cmd", price_id="price_medium_month", amount_ore=99500
    )
    out = io.StringIO()
    call_command("billing_reconcile", stdout=out)
    assert "Corrected 1 account(s)" in out.getvalue()
    assert status_of("varnamo") == TenantStatus.ACTIVE
