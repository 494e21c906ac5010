"""The webhook answers at once and a real Celery worker, on Redis, does the work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from billing.models import BillingAccount, Invoice, ProcessedStripeEvent, TenantStatusChange
from billing.services import billing_account_ensure
from billing.tests.conftest import post_webhook
from billing.tests.fake_stripe import FakeStripe, event
from ivplatform.celery import app as celery_app
from tenants.models import Municipality, TenantStatus

# django_db makes pytest-django create the test database even when this test runs alone; the test's own
# connection then sits in a transaction that is rolled back, so what the worker must see is written and
# removed again through a connection of its own (see committed()).
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db]


def in_own_connection(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread: Django gives it its own connection, in autocommit, so its writes commit."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # handed back to the test's thread
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


@pytest.fixture
def committed() -> Iterator[Municipality]:
    """Gislaved, its trial long over and a payment overdue, committed so the worker's connection sees it."""

    def arrange() -> tuple[Municipality, str]:
        tenant = Municipality.objects.get(schema_name="gislaved")
        account = billing_account_ensure(tenant=tenant)
        BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
        Municipality.objects.filter(pk=tenant.pk).update(status=TenantStatus.PAST_DUE)
        return tenant, tenant.status

    def clean_up() -> None:
        ProcessedStripeEvent.objects.filter(event_id__startswith="evt_worker").delete()
        Invoice.objects.filter(account__tenant=tenant).delete()
        TenantStatusChange.objects.filter(tenant=tenant).delete()
        BillingAccount.objects.filter(tenant=tenant).delete()
        Municipality.objects.filter(pk=tenant.pk).update(status=original_status)

    tenant, original_status = in_own_connection(arrange)
    try:
        yield tenant
    finally:
        in_own_connection(clean_up)


@contextmanager
def running_worker() -> Iterator[None]:
    """A real Celery worker (solo pool) consuming from Redis, in a thread of its own.

    It is built in that thread too: Celery's Django fix-up closes the database connections of the thread
    that builds a worker, which must not be the test's.
    """
    from celery.contrib.testing.worker import start_worker

    ready, stop = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                ready.set()
                stop.wait(60)
        except BaseException as exc:
            failure.append(exc)
            ready.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(30)
    if failure:
        raise failure[0]
    try:
        yield
    finally:
        stop.set()
        thread.join(30)


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.1)


def test_a_real_worker_handles_the_webhooks_task(fake_stripe: FakeStripe, committed: Municipality) -> None:
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (CI sets it; e.g. redis://127.0.0.1:6379/2 on a developer machine)")
    sub = fake_stripe.add_subscription(
        tenant="gislaved", customer="cus_w", price_id="price_medium_month", amount_ore=99500
    )
    invoice = fake_stripe.add_invoice(
        tenant="gislaved", customer="cus_w", subscription=sub["id"], amount_ore=99500
    )
    sub["latest_invoice"] = invoice["id"]
    paid = event("invoice.paid", invoice, event_id="evt_worker_paid")

    celery_app.conf.task_always_eager = False  # this test wants the queue
    celery_app.control.purge()
    with running_worker():
        started = time.monotonic()
        response = post_webhook(paid)
        answered_in = time.monotonic() - started
        assert response.status_code == 200
        assert answered_in < 2.0  # the view only verifies and queues
        wait_for(lambda: Municipality.objects.get(pk=committed.pk).status == TenantStatus.ACTIVE)
        post_webhook(paid)  # Stripe delivers it again
        # The solo worker handles messages in order: once this one is done, the repeat has been handled too.
        barrier = event(
            "customer.created", {"id": "cus_w", "object": "customer"}, event_id="evt_worker_barrier"
        )
        post_webhook(barrier)
        wait_for(lambda: ProcessedStripeEvent.objects.filter(event_id="evt_worker_barrier").exists())
    assert Municipality.objects.get(pk=committed.pk).status == TenantStatus.ACTIVE
    assert Invoice.objects.filter(account__tenant=committed, status="paid").count() == 1
    assert ProcessedStripeEvent.objects.filter(event_id="evt_worker_paid").count() == 1
    assert TenantStatusChange.objects.filter(tenant=committed).count() == 1
