"""The Stripe webhook: signatures on the raw body, one effect per event, any order gives the same state."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from itertools import permutations
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from billing.models import BillingAccount, Invoice, StripeEvent, StripeEventStatus, TenantStatusChange
from billing.services import stripe_event_apply
from billing.tests.conftest import WEBHOOK_SECRET, post_webhook
from billing.tests.fake_stripe import FakeStripe, event
from billing.tests.stories import paid_after_a_failed_first_attempt, renewal_fails, snapshot
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def trial_over(varnamo_account: BillingAccount) -> BillingAccount:
    """Värnamo's free trial ended long ago, so payments decide its status."""
    BillingAccount.objects.filter(pk=varnamo_account.pk).update(
        trial_ends_at=timezone.now() - timedelta(days=60)
    )
    varnamo_account.refresh_from_db()
    return varnamo_account


def varnamo_status() -> str:
    return Municipality.objects.get(schema_name="varnamo").status


def state() -> tuple[Any, ...]:
    return (
        StripeEvent.objects.count(),
        Invoice.objects.count(),
        TenantStatusChange.objects.count(),
        tuple(
            BillingAccount.objects.order_by("pk").values_list("subscription_status", "stripe_subscription_id")
        ),
        tuple(Municipality.objects.order_by("pk").values_list("status", flat=True)),
    )


def paid_invoice_event(fake: FakeStripe) -> dict[str, Any]:
    sub = fake.add_subscription(
        tenant="varnamo", customer="cus_x", price_id="price_medium_month", amount_ore=99500
    )
    invoice = fake.add_invoice(tenant="varnamo", customer="cus_x", subscription=sub["id"], amount_ore=99500)
    sub["latest_invoice"] = invoice["id"]
    return event("invoice.paid", invoice)


def test_a_signed_event_is_accepted_and_applied(fake_stripe: FakeStripe, trial_over: BillingAccount) -> None:
    response = post_webhook(paid_invoice_event(fake_stripe))
    assert response.status_code == 200
    trial_over.refresh_from_db()
    assert trial_over.subscription_status == "active"
    assert trial_over.plan is not None and trial_over.plan.code == "medium"
    assert varnamo_status() == TenantStatus.ACTIVE
    assert Invoice.objects.get(account=trial_over).status == "paid"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"secret": "whsec_forged"}, id="forged-signature"),
        pytest.param({"timestamp": int(time.time()) - 301}, id="expired-timestamp"),
        pytest.param({"body": "changed"}, id="body-changed-after-signing"),
    ],
)
def test_a_forged_stale_or_altered_delivery_is_refused_and_changes_nothing(
    fake_stripe: FakeStripe, trial_over: BillingAccount, tamper: dict[str, Any]
) -> None:
    evt = paid_invoice_event(fake_stripe)
    if tamper.get("body") == "changed":
        altered = json.loads(json.dumps(evt))
        altered["data"]["object"]["amount_paid"] = 1
        tamper = {"body": json.dumps(altered)}
    before = state()
    response = post_webhook(evt, **tamper)
    assert response.status_code == 400
    assert state() == before
    assert fake_stripe.requests == []  # not even a read from Stripe


def test_a_delivery_without_signature_is_refused(fake_stripe: FakeStripe, public_client: Any) -> None:
    before = state()
    response = public_client.post("/billing/stripe/webhook/", data="{}", content_type="application/json")
    assert response.status_code == 400
    assert state() == before


def test_the_webhook_refuses_everything_without_a_configured_secret(
    fake_stripe: FakeStripe, trial_over: BillingAccount, settings: Any
) -> None:
    evt = paid_invoice_event(fake_stripe)
    settings.STRIPE_WEBHOOK_SECRET = ""
    before = state()
    assert post_webhook(evt, secret=WEBHOOK_SECRET).status_code == 400
    assert state() == before


def test_a_signed_body_that_is_not_an_event_is_refused(fake_stripe: FakeStripe) -> None:
    before = state()
    assert post_webhook({"hello": "world"}).status_code == 400
    assert state() == before


def test_the_webhook_lives_on_the_public_host_only(fake_stripe: FakeStripe) -> None:
    from conftest import tenant_client

    response = tenant_client("varnamo").post(
        "/billing/stripe/webhook/", data="{}", content_type="application/json"
    )
    assert response.status_code == 404


def test_the_same_event_delivered_twice_has_one_effect(
    fake_stripe: FakeStripe, trial_over: BillingAccount, django_capture_on_commit_callbacks: Any
) -> None:
    BillingAccount.objects.filter(pk=trial_over.pk).update(trial_ends_at=timezone.now() - timedelta(days=5))
    Municipality.objects.filter(schema_name="varnamo").update(status=TenantStatus.PAST_DUE)
    evt = paid_invoice_event(fake_stripe)
    with django_capture_on_commit_callbacks(execute=True):
        first = post_webhook(evt)
    after_first = state()
    reads_after_first = len(fake_stripe.requests)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_webhook(evt)
    assert first.status_code == second.status_code == 200
    assert state() == after_first
    assert StripeEvent.objects.get(event_id=evt["id"]).status == StripeEventStatus.PROCESSED
    assert TenantStatusChange.objects.filter(tenant__schema_name="varnamo").count() == 1
    assert len(mail.outbox) == 1  # one "active again" e-mail, not two
    assert len(fake_stripe.requests) == reads_after_first  # the repeat did not even ask Stripe


@pytest.mark.slow
@pytest.mark.parametrize(
    "story", [paid_after_a_failed_first_attempt, renewal_fails], ids=["paid", "renewal-fails"]
)
def test_every_order_of_a_subscriptions_events_gives_the_same_final_state(
    fake_stripe: FakeStripe, trial_over: BillingAccount, story: Any
) -> None:
    told = story(fake_stripe)
    finals = set()
    for order in permutations(told.events):
        savepoint = transaction.savepoint()
        for evt in order:
            stripe_event_apply(event=evt)
        finals.add(snapshot())
        transaction.savepoint_rollback(savepoint)
    assert len(finals) == 1
    (final,) = finals
    assert final[2] == told.subscription_id
    if story is paid_after_a_failed_first_attempt:
        assert final[0] == TenantStatus.ACTIVE
        assert final[3] == "active"
        assert [status for _, status, _ in final[-1]] == ["paid"]
        assert final[8] is None  # nothing overdue
    else:
        assert final[0] == TenantStatus.PAST_DUE
        assert final[3] == "past_due"
        assert sorted(status for _, status, _ in final[-1]) == ["open", "paid"]
        assert final[8] is not None


def test_an_event_about_an_older_cancelled_subscription_does_not_replace_the_current_one(
    fake_stripe: FakeStripe, trial_over: BillingAccount
) -> None:
    now = int(time.time())
    old = fake_stripe.add_subscription(
        tenant="varnamo",
        customer="cus_y",
        price_id="price_small_month",
        amount_ore=49500,
        status="canceled",
        created=now - 90 * 86400,
        ended_at=now - 10 * 86400,
    )
    new = fake_stripe.add_subscription(
        tenant="varnamo",
        customer="cus_y",
        price_id="price_medium_year",
        amount_ore=995000,
        interval="year",
        created=now - 5 * 86400,
    )
    stripe_event_apply(event=event("customer.subscription.created", new))
    stripe_event_apply(event=event("customer.subscription.deleted", old))
    trial_over.refresh_from_db()
    assert trial_over.stripe_subscription_id == new["id"]
    assert trial_over.subscription_status == "active"
    assert trial_over.price_interval == "year"
    assert trial_over.monthly_recurring_ore == round(995000 / 12)


def test_an_event_for_no_known_tenant_is_recorded_and_ignored(fake_stripe: FakeStripe) -> None:
    sub = fake_stripe.add_subscription(
        tenant="atlantis", customer="cus_none", price_id="price_small_month", amount_ore=1
    )
    before = state()
    evt = event("customer.subscription.updated", sub)
    assert post_webhook(evt).status_code == 200
    assert state()[0] == before[0] + 1
    assert state()[1:] == before[1:]
    assert StripeEvent.objects.get(event_id=evt["id"]).status == StripeEventStatus.PROCESSED


def test_events_of_other_types_are_acknowledged_without_effect(fake_stripe: FakeStripe) -> None:
    before = state()
    assert post_webhook(event("customer.created", {"id": "cus_1", "object": "customer"})).status_code == 200
    assert state()[1:] == before[1:]
    assert fake_stripe.requests == []
