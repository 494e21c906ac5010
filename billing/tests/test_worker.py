"""The webhook's inbox with a real Celery worker process on Redis, Stripe faked at its HTTP boundary.

The worker is ``celery -A ivplatform worker`` in a process of its own, reaching the fake Stripe over HTTP on
loopback (``STRIPE_API_BASE``). It sees only committed rows, so these tests write through their own
(autocommit) connection and clean up afterwards instead of using the ``db`` fixture's transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from billing.models import BillingAccount, Invoice, StripeEvent, StripeEventStatus, TenantStatusChange
from billing.services import billing_account_ensure
from billing.tasks import stripe_events_retry_due
from billing.tests.conftest import PRICE_AMOUNTS_ORE, StripeOverHttp, post_webhook, stripe_env, time_passes
from billing.tests.fake_stripe import FakeStripe, event
from conftest import CeleryWorker, celery_worker_start
from ivplatform.celery import app as celery_app
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.celery_worker

EVENT_PREFIX = "evt_worker"


@pytest.fixture
def stripe_http(stripe_settings: Any) -> Iterator[StripeOverHttp]:
    served = StripeOverHttp(FakeStripe(prices=PRICE_AMOUNTS_ORE))
    yield served
    served.gate = None
    served.close()


@pytest.fixture
def queue(celery_worker_url: str) -> Iterator[str]:
    """Tasks go to Redis (not inline) for the test; the queue starts empty. Yields the database URL."""
    import os

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (CI sets it; e.g. redis://127.0.0.1:6379/3 on a developer machine)")
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    yield celery_worker_url
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def gislaved(django_db_setup: None, django_db_blocker: Any) -> Iterator[Municipality]:
    """Gislaved, its trial long over and a payment overdue, committed so the worker sees it; the test runs
    with the database unblocked, and everything it made is removed afterwards."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        tenant = Municipality.objects.get(schema_name="gislaved")
        original_status = tenant.status
        account = billing_account_ensure(tenant=tenant)
        BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
        Municipality.objects.filter(pk=tenant.pk).update(status=TenantStatus.PAST_DUE)
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()
            StripeEvent.objects.filter(event_id__startswith=EVENT_PREFIX).delete()
            Invoice.objects.filter(account__tenant=tenant).delete()
            TenantStatusChange.objects.filter(tenant=tenant).delete()
            BillingAccount.objects.filter(tenant=tenant).delete()
            Municipality.objects.filter(pk=tenant.pk).update(status=original_status)


def paid_invoice_event(fake: FakeStripe, name: str) -> dict[str, Any]:
    sub = fake.add_subscription(
        tenant="gislaved", customer="cus_w", price_id="price_medium_month", amount_ore=99500
    )
    invoice = fake.add_invoice(tenant="gislaved", customer="cus_w", subscription=sub["id"], amount_ore=99500)
    sub["latest_invoice"] = invoice["id"]
    return event("invoice.paid", invoice, event_id=f"{EVENT_PREFIX}_{name}")


def stored(event_id: str) -> StripeEvent:
    return StripeEvent.objects.get(event_id=event_id)


def status_of(tenant: Municipality) -> str:
    return Municipality.objects.get(pk=tenant.pk).status


def start_worker(database_url: str, stripe_http: StripeOverHttp) -> CeleryWorker:
    return celery_worker_start(database_url, extra_env=stripe_env(stripe_http.url))


@pytest.mark.slow
def test_the_webhook_answers_at_once_and_the_worker_applies_the_event_once(
    stripe_http: StripeOverHttp, queue: str, gislaved: Municipality
) -> None:
    worker = start_worker(queue, stripe_http)
    try:
        paid = paid_invoice_event(stripe_http.fake, "paid")
        response = post_webhook(paid)
        assert response.status_code == 200
        assert StripeEvent.objects.filter(event_id=paid["id"]).exists()  # stored before the answer
        worker.wait_for(lambda: stored(paid["id"]).status == StripeEventStatus.PROCESSED)
        assert status_of(gislaved) == TenantStatus.ACTIVE
        reads = len(stripe_http.fake.requests)
        assert post_webhook(paid).status_code == 200  # Stripe delivers it again
        barrier = event(
            "customer.created", {"id": "cus_w", "object": "customer"}, event_id=f"{EVENT_PREFIX}_b"
        )
        post_webhook(barrier)
        # The solo worker takes messages in order: once the barrier is done, the repeat has been too.
        worker.wait_for(lambda: stored(barrier["id"]).status == StripeEventStatus.PROCESSED)
    finally:
        worker.stop()
    assert len(stripe_http.fake.requests) == reads  # the repeat did not even ask Stripe
    assert StripeEvent.objects.filter(event_id=paid["id"]).count() == 1
    assert Invoice.objects.filter(account__tenant=gislaved, status="paid").count() == 1
    assert TenantStatusChange.objects.filter(tenant=gislaved).count() == 1


def run_due_attempt(worker: CeleryWorker, event_id: str) -> StripeEvent:
    """Let the pause before the event's next attempt pass, queue beat's sweep, wait for the attempt."""
    before = stored(event_id)
    assert before.next_attempt_at is not None
    time_passes((before.next_attempt_at - timezone.now()).total_seconds() / 3600 + 1 / 3600)
    stripe_events_retry_due.delay()
    return worker.wait_for(lambda: (row := stored(event_id)).attempts > before.attempts and row)


@pytest.mark.slow
def test_an_event_accepted_during_a_six_hour_outage_is_applied_after_it_ends(
    stripe_http: StripeOverHttp, queue: str, gislaved: Municipality
) -> None:
    worker = start_worker(queue, stripe_http)
    try:
        paid = paid_invoice_event(stripe_http.fake, "outage")
        stripe_http.fake.fail_next = 10**6  # Stripe is down
        assert post_webhook(paid).status_code == 200
        worker.wait_for(lambda: stored(paid["id"]).attempts == 1)
        # Six hours of beat's sweeps, each attempt failing while Stripe is down.
        received = stored(paid["id"]).received_at
        while timezone.now() - stored(paid["id"]).received_at < timedelta(hours=6):
            row = run_due_attempt(worker, paid["id"])
            assert row.status == StripeEventStatus.PENDING, row.last_error
            assert "Fake outage" in row.last_error
        assert stored(paid["id"]).attempts >= 7
        assert status_of(gislaved) == TenantStatus.PAST_DUE
        assert timezone.now() - received < timedelta(minutes=5)  # the six hours were simulated

        stripe_http.fake.fail_next = 0  # Stripe is back
        row = run_due_attempt(worker, paid["id"])
    finally:
        worker.stop()
    assert (row.status, row.last_error) == (StripeEventStatus.PROCESSED, "")
    assert status_of(gislaved) == TenantStatus.ACTIVE
    assert Invoice.objects.get(account__tenant=gislaved).status == "paid"


@pytest.mark.slow
def test_a_worker_killed_in_the_middle_of_an_event_loses_nothing(
    stripe_http: StripeOverHttp, queue: str, gislaved: Municipality
) -> None:
    entered, release = threading.Event(), threading.Event()

    def hold_the_first_read(method: str, path: str) -> None:
        # The worker has begun the event (its transaction is open, the invoice written) and now waits for
        # Stripe: the moment to pull the plug.
        if path.startswith("/v1/subscriptions/") and not entered.is_set():
            entered.set()
            release.wait(30)

    stripe_http.gate = hold_the_first_read
    paid = paid_invoice_event(stripe_http.fake, "killed")
    worker = start_worker(queue, stripe_http)
    try:
        assert post_webhook(paid).status_code == 200
        assert entered.wait(30), f"the worker never asked Stripe:\n{worker.log()}"
    finally:
        worker.stop(kill=True)  # SIGKILL: no warm shutdown, no acknowledgement, no rollback by the worker
        release.set()

    # Nothing of the half-done attempt is left, and the event waits, due.
    row = stored(paid["id"])
    assert (row.status, row.attempts) == (StripeEventStatus.PENDING, 0)
    assert not Invoice.objects.filter(account__tenant=gislaved).exists()
    assert status_of(gislaved) == TenantStatus.PAST_DUE

    restarted = start_worker(queue, stripe_http)
    try:
        # PostgreSQL lets go of the dead worker's row lock as soon as it sees the connection gone; beat's
        # next sweeps take the event.
        def processed_after_a_sweep() -> bool:
            stripe_events_retry_due.delay()
            return stored(paid["id"]).status == StripeEventStatus.PROCESSED

        restarted.wait_for(processed_after_a_sweep, interval=1.0)
    finally:
        restarted.stop()
    assert stored(paid["id"]).attempts == 1
    assert status_of(gislaved) == TenantStatus.ACTIVE
    assert Invoice.objects.filter(account__tenant=gislaved, status="paid").count() == 1
    assert TenantStatusChange.objects.filter(tenant=gislaved).count() == 1
