"""The webhook's inbox, inline (no broker): stored before the answer, retried past a long outage, failures
shown to operators. The same with a real worker on Redis is in test_worker.py."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client

from accounts.models import User
from billing import services
from billing.inbox import RETRY_DELAYS, retry_delay, stripe_events_process_due
from billing.models import BillingAccount, Invoice, StripeEvent, StripeEventStatus
from billing.tasks import stripe_events_retry_due
from billing.tests.conftest import post_webhook, time_passes
from billing.tests.fake_stripe import FakeStripe, event
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


def beat_runs_for(hours: float, step_minutes: int = 30) -> None:
    """Celery beat's every-minute sweep, over ``hours``: time passes in steps and each step's sweep runs."""
    for _ in range(int(hours * 60 / step_minutes)):
        time_passes(step_minutes / 60)
        stripe_events_retry_due.delay()  # inline, as beat would queue it


def gislaved_overdue() -> BillingAccount:
    from django.utils import timezone

    tenant = Municipality.objects.get(schema_name="gislaved")
    account = services.billing_account_ensure(tenant=tenant)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
    Municipality.objects.filter(pk=tenant.pk).update(status=TenantStatus.PAST_DUE)
    return account


def paid_invoice(fake: FakeStripe, tenant: str = "gislaved") -> dict[str, Any]:
    sub = fake.add_subscription(
        tenant=tenant, customer="cus_g", price_id="price_medium_month", amount_ore=99500
    )
    invoice = fake.add_invoice(tenant=tenant, customer="cus_g", subscription=sub["id"], amount_ore=99500)
    sub["latest_invoice"] = invoice["id"]
    return event("invoice.paid", invoice)


def gislaved_status() -> str:
    return Municipality.objects.get(schema_name="gislaved").status


def test_a_verified_event_is_stored_raw_with_its_type_id_and_time(fake_stripe: FakeStripe) -> None:
    evt = paid_invoice(fake_stripe)
    gislaved_overdue()
    response = post_webhook(evt)
    assert response.status_code == 200
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert stored.event_type == "invoice.paid"
    assert json.loads(stored.payload) == evt  # the verified body as Stripe sent it
    assert stored.received_at is not None
    assert (stored.status, stored.attempts, stored.last_error) == (StripeEventStatus.PROCESSED, 1, "")
    assert gislaved_status() == TenantStatus.ACTIVE


def test_a_refused_delivery_stores_nothing(fake_stripe: FakeStripe) -> None:
    assert post_webhook(paid_invoice(fake_stripe), secret="whsec_forged").status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.parametrize("outage_hours", [6, 26])
def test_an_event_accepted_during_a_long_stripe_outage_is_applied_after_it_ends(
    fake_stripe: FakeStripe, django_capture_on_commit_callbacks: Any, outage_hours: int
) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    fake_stripe.fail_next = 10**6  # Stripe answers nothing but errors from now on
    with django_capture_on_commit_callbacks(execute=True):
        response = post_webhook(evt)
    assert response.status_code == 200  # Stripe gets its 200: it will not send the event again
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert (stored.status, stored.attempts) == (StripeEventStatus.PENDING, 1)
    assert "Fake outage" in stored.last_error
    assert gislaved_status() == TenantStatus.PAST_DUE

    beat_runs_for(outage_hours)
    stored.refresh_from_db()
    assert stored.status == StripeEventStatus.PENDING  # still trying, not given up
    assert stored.attempts > 5
    assert not Invoice.objects.filter(account__tenant__schema_name="gislaved").exists()

    fake_stripe.fail_next = 0  # Stripe is back
    with django_capture_on_commit_callbacks(execute=True):
        beat_runs_for(6)  # the longest pause between two attempts
    stored.refresh_from_db()
    assert (stored.status, stored.last_error) == (StripeEventStatus.PROCESSED, "")
    assert gislaved_status() == TenantStatus.ACTIVE
    assert Invoice.objects.get(account__tenant__schema_name="gislaved").status == "paid"


def test_the_pauses_grow_and_the_retries_outlast_a_day() -> None:
    pauses = [retry_delay(n) for n in range(1, 12)]
    assert pauses == sorted(pauses) and pauses[0] == timedelta(minutes=1)
    assert max(pauses) == RETRY_DELAYS[-1] == timedelta(hours=6)
    assert settings.STRIPE_EVENT_RETRY_HOURS >= 48


def test_a_database_error_while_applying_is_retried_too(
    fake_stripe: FakeStripe, monkeypatch: pytest.MonkeyPatch
) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    real_upsert = services._invoice_upsert
    failures = [IntegrityError("duplicate key value violates unique constraint")]

    def upsert_once_broken(*args: Any, **kwargs: Any) -> Invoice:
        if failures:
            raise failures.pop()
        return real_upsert(*args, **kwargs)

    monkeypatch.setattr(services, "_invoice_upsert", upsert_once_broken)
    assert post_webhook(evt).status_code == 200
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert stored.status == StripeEventStatus.PENDING
    assert stored.last_error.startswith("IntegrityError")
    assert not Invoice.objects.exists()  # the failed attempt left nothing behind

    time_passes(1 / 60)  # the first pause: a minute
    assert stripe_events_process_due() == 1
    stored.refresh_from_db()
    assert stored.status == StripeEventStatus.PROCESSED
    assert Invoice.objects.get().status == "paid"


def test_a_subscription_stripe_does_not_know_ends_failed_with_a_reason_not_a_500_loop(
    fake_stripe: FakeStripe,
) -> None:
    gislaved_overdue()
    ghost = {
        "id": "sub_gone",
        "object": "subscription",
        "customer": "cus_g",
        "metadata": {"tenant": "gislaved"},
    }
    evt = event("customer.subscription.updated", ghost)
    assert post_webhook(evt).status_code == 200
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert stored.status == StripeEventStatus.FAILED
    assert "404" in stored.last_error and "sub_gone" in stored.last_error
    assert stored.next_attempt_at is None
    reads = len(fake_stripe.requests)
    # Stripe (or someone in its dashboard) sends it again: answered, not tried again, not a 500.
    assert post_webhook(evt).status_code == 200
    time_passes(72)
    assert stripe_events_process_due() == 0
    assert len(fake_stripe.requests) == reads


def test_an_event_that_fails_for_the_whole_retry_time_is_failed_for_an_operator(
    fake_stripe: FakeStripe,
) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    fake_stripe.fail_next = 10**6
    post_webhook(evt)
    beat_runs_for(settings.STRIPE_EVENT_RETRY_HOURS + 6, step_minutes=120)
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert stored.status == StripeEventStatus.FAILED
    assert stored.last_error.startswith("Gave up after")
    assert "Fake outage" in stored.last_error


def test_repeated_deliveries_of_a_waiting_event_store_it_once(fake_stripe: FakeStripe) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    fake_stripe.fail_next = 10**6
    for _ in range(3):
        assert post_webhook(evt).status_code == 200
    assert StripeEvent.objects.filter(event_id=evt["id"]).count() == 1


def test_the_command_makes_the_due_attempts(fake_stripe: FakeStripe) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    fake_stripe.fail_next = 10**6
    post_webhook(evt)
    fake_stripe.fail_next = 0
    out = io.StringIO()
    call_command("stripe_events_process", stdout=out)
    assert "Tried 0 due event(s)" in out.getvalue()  # its pause has not passed
    time_passes(1)
    out = io.StringIO()
    call_command("stripe_events_process", stdout=out)
    assert "Tried 1 due event(s). Now pending: 0, failed: 0." in out.getvalue()
    assert gislaved_status() == TenantStatus.ACTIVE


def test_after_an_outage_the_command_tries_every_waiting_event_at_once(fake_stripe: FakeStripe) -> None:
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    fake_stripe.fail_next = 10**6
    post_webhook(evt)
    beat_runs_for(3)  # by now the pause between attempts is hours long
    assert StripeEvent.objects.get(event_id=evt["id"]).status == StripeEventStatus.PENDING
    fake_stripe.fail_next = 0
    out = io.StringIO()
    call_command("stripe_events_process", "--now", stdout=out)
    assert "Tried 1 due event(s). Now pending: 0, failed: 0." in out.getvalue()
    assert gislaved_status() == TenantStatus.ACTIVE


# --- Operators ---------------------------------------------------------------------------------------------


@pytest.fixture
def failed_event(fake_stripe: FakeStripe) -> StripeEvent:
    """A paid invoice whose event failed: Stripe answered 404 for its subscription at the time."""
    gislaved_overdue()
    evt = paid_invoice(fake_stripe)
    sub_id = evt["data"]["object"]["parent"]["subscription_details"]["subscription"]
    hidden = fake_stripe.objects.pop(sub_id)
    post_webhook(evt)
    fake_stripe.objects[sub_id] = hidden  # found again (it was made in another Stripe account, say)
    stored = StripeEvent.objects.get(event_id=evt["id"])
    assert stored.status == StripeEventStatus.FAILED
    return stored


@pytest.fixture
def operator(db: None) -> Client:
    from conftest import operator_client

    return operator_client()


def test_the_operator_sees_failed_events_with_their_error_and_processes_them_again(
    failed_event: StripeEvent, operator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    page = operator.get("/billing/operator/").content.decode()
    assert failed_event.event_id in page
    assert "404" in page
    assert "1 händelse har misslyckats." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(f"/billing/operator/events/{failed_event.pk}/process-again/", follow=True)
    assert "bearbetas igen" in response.content.decode()
    failed_event.refresh_from_db()
    assert failed_event.status == StripeEventStatus.PROCESSED
    assert gislaved_status() == TenantStatus.ACTIVE
    assert "0 händelser har misslyckats." in operator.get("/billing/operator/").content.decode()


def test_process_again_from_django_admin(
    failed_event: StripeEvent, operator: Client, django_capture_on_commit_callbacks: Any
) -> None:
    listing = operator.get("/admin/billing/stripeevent/?status__exact=failed").content.decode()
    assert failed_event.event_id in listing
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            "/admin/billing/stripeevent/",
            {"action": "process_again", "_selected_action": [failed_event.pk]},
        )
    failed_event.refresh_from_db()
    assert failed_event.status == StripeEventStatus.PROCESSED


def test_only_operators_may_process_events_again(failed_event: StripeEvent, public_client: Client) -> None:
    path = f"/billing/operator/events/{failed_event.pk}/process-again/"
    assert public_client.post(path).status_code == 302  # to the admin's login
    connection.set_schema_to_public()
    User.objects.create_user("someone@platform.example", "a-long-password-1", is_staff=False)
    public_client.force_login(User.objects.get(email="someone@platform.example"))
    assert public_client.post(path).status_code == 403
    failed_event.refresh_from_db()
    assert failed_event.status == StripeEventStatus.FAILED
