"""Events about one gift, invoice or subscription processed at the same moment, in real concurrent
transactions (two threads, two database connections): one final state, and no error for either.

The data is committed (each thread has its own connection), so these tests clean up after themselves.
A barrier in front of each event's handler makes both transactions reach it together, every round.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from billing import services
from billing.inbox import stripe_event_process
from billing.models import BillingAccount, Invoice, StripeEvent, StripeEventStatus, TenantStatusChange
from billing.tests.fake_stripe import FakeStripe, event
from donations.models import Donation
from tenants.models import Municipality, TenantStatus

ROUNDS = 5
PREFIX = "evt_race"


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The database unblocked for the test (no rolled-back transaction); what the races made is removed."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        statuses = dict(Municipality.objects.values_list("schema_name", "status"))
        try:
            yield
        finally:
            connection.set_schema_to_public()
            StripeEvent.objects.filter(event_id__startswith=PREFIX).delete()
            for slug in ("varnamo", "vaggeryd"):
                tenant = Municipality.objects.get(schema_name=slug)
                Invoice.objects.filter(account__tenant=tenant).delete()
                TenantStatusChange.objects.filter(tenant=tenant).delete()
                BillingAccount.objects.filter(tenant=tenant).delete()
                Municipality.objects.filter(pk=tenant.pk).update(status=statuses[slug])
            with Municipality.objects.get(schema_name="varnamo"):
                Donation.objects.filter(stripe_payment_intent_id__startswith="pi_race").delete()
            connection.set_schema_to_public()


def side_by_side(monkeypatch: pytest.MonkeyPatch, event_types: set[str]) -> None:
    """Make the handlers of ``event_types`` wait for each other, so two of them run at the same moment."""
    barrier = threading.Barrier(2, timeout=20)
    for event_type in event_types:
        original = services.HANDLERS[event_type]

        def together(obj: dict[str, Any], original: Callable[[dict[str, Any]], None] = original) -> None:
            barrier.wait()
            original(obj)

        monkeypatch.setitem(services.HANDLERS, event_type, together)


def stored(evt: dict[str, Any]) -> StripeEvent:
    return StripeEvent.objects.create(
        event_id=evt["id"], event_type=evt["type"], payload=json.dumps(evt), next_attempt_at=timezone.now()
    )


def process_concurrently(*rows: StripeEvent) -> list[str | None]:
    """Process each stored event in a thread of its own (its own connection and transaction), all at once."""
    results: list[str | None] = [None] * len(rows)
    errors: list[BaseException] = []

    def work(index: int, pk: int) -> None:
        try:
            results[index] = stripe_event_process(event_pk=pk)
        except BaseException as exc:  # handed to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, row.pk)) for i, row in enumerate(rows)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def gift_events(n: int) -> list[dict[str, Any]]:
    metadata = {"kind": "donation", "tenant": "varnamo", "campaign": ""}
    intent = {
        "id": f"pi_race{n}",
        "object": "payment_intent",
        "amount_received": 30000,
        "currency": "sek",
        "metadata": metadata,
        "created": 1_760_000_000,
    }
    session = {
        "id": f"cs_race{n}",
        "object": "checkout.session",
        "mode": "payment",
        "payment_status": "paid",
        "payment_intent": f"pi_race{n}",
        "amount_total": 30000,
        "currency": "sek",
        "metadata": metadata,
        "created": 1_760_000_000,
    }
    return [
        event("checkout.session.completed", session, event_id=f"{PREFIX}_cs{n}"),
        event("payment_intent.succeeded", intent, event_id=f"{PREFIX}_pi{n}"),
    ]


def test_a_gifts_two_events_at_the_same_moment_record_one_gift_without_error(
    committed: None, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    side_by_side(monkeypatch, {"checkout.session.completed", "payment_intent.succeeded"})
    for n in range(ROUNDS):
        rows = [stored(evt) for evt in gift_events(n)]
        assert process_concurrently(*rows) == ["processed", "processed"], [
            StripeEvent.objects.get(pk=row.pk).last_error for row in rows
        ]
        with Municipality.objects.get(schema_name="varnamo"):
            (gift,) = Donation.objects.filter(stripe_payment_intent_id=f"pi_race{n}")
            # Whichever came first, the gift ends with what both events knew.
            assert (gift.amount_ore, gift.stripe_checkout_session_id) == (30000, f"cs_race{n}")
        connection.set_schema_to_public()


def overdue(slug: str) -> BillingAccount:
    tenant = Municipality.objects.get(schema_name=slug)
    account = services.billing_account_ensure(tenant=tenant)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
    Municipality.objects.filter(pk=tenant.pk).update(status=TenantStatus.PAST_DUE)
    return account


def test_an_invoices_paid_and_failed_events_at_the_same_moment_end_in_one_state(
    committed: None, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    overdue("varnamo")
    side_by_side(monkeypatch, {"invoice.paid", "invoice.payment_failed"})
    for n in range(ROUNDS):
        sub = fake_stripe.add_subscription(
            tenant="varnamo", customer="cus_r", price_id="price_medium_month", amount_ore=99500
        )
        invoice = fake_stripe.add_invoice(
            tenant="varnamo", customer="cus_r", subscription=sub["id"], amount_ore=99500
        )
        sub["latest_invoice"] = invoice["id"]
        failed = {**invoice, "status": "open", "amount_paid": 0}
        rows = [
            stored(event("invoice.payment_failed", failed, event_id=f"{PREFIX}_if{n}")),
            stored(event("invoice.paid", invoice, event_id=f"{PREFIX}_ip{n}")),
        ]
        assert process_concurrently(*rows) == ["processed", "processed"], [
            StripeEvent.objects.get(pk=row.pk).last_error for row in rows
        ]
        # One invoice, paid (a late "failed" never reopens it), and the tenant active, whichever won.
        assert list(
            Invoice.objects.filter(stripe_invoice_id=invoice["id"]).values_list("status", flat=True)
        ) == ["paid"]
        assert Municipality.objects.get(schema_name="varnamo").status == TenantStatus.ACTIVE


def test_a_new_subscriptions_events_at_the_same_moment_make_one_account_in_one_state(
    committed: None, fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    side_by_side(monkeypatch, {"checkout.session.completed", "customer.subscription.created"})
    tenant = Municipality.objects.get(schema_name="vaggeryd")
    for n in range(ROUNDS):
        BillingAccount.objects.filter(tenant=tenant).delete()  # no account yet: both events create it
        sub = fake_stripe.add_subscription(
            tenant="vaggeryd",
            customer=f"cus_new{n}",
            price_id="price_small_year",
            amount_ore=495000,
            interval="year",
        )
        session = {
            "id": f"cs_sub{n}",
            "object": "checkout.session",
            "mode": "subscription",
            "status": "complete",
            "client_reference_id": "vaggeryd",
            "customer": f"cus_new{n}",
            "subscription": sub["id"],
            "metadata": {"tenant": "vaggeryd", "kind": "subscription"},
        }
        rows = [
            stored(event("checkout.session.completed", session, event_id=f"{PREFIX}_sc{n}")),
            stored(event("customer.subscription.created", sub, event_id=f"{PREFIX}_sn{n}")),
        ]
        assert process_concurrently(*rows) == ["processed", "processed"], [
            StripeEvent.objects.get(pk=row.pk).last_error for row in rows
        ]
        (account,) = BillingAccount.objects.filter(tenant=tenant)
        assert (account.stripe_customer_id, account.stripe_subscription_id, account.subscription_status) == (
            f"cus_new{n}",
            sub["id"],
            "active",
        )
        assert account.price_interval == "year"
    assert StripeEvent.objects.filter(
        event_id__startswith=PREFIX, status=StripeEventStatus.PROCESSED
    ).count() == (2 * ROUNDS)
