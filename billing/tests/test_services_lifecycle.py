"""The lifecycle end to end: trial → active on payment, failed payment → past due → read-only → active again."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from billing.models import BillingAccount, TenantStatusChange
from billing.services import billing_account_ensure, billing_statuses_refresh, stripe_event_process
from billing.tasks import billing_statuses_refresh as billing_statuses_refresh_task
from billing.tests.fake_stripe import FakeStripe, event
from conftest import login
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


def status_of(slug: str) -> str:
    return str(Municipality.objects.get(schema_name=slug).status)


def test_trial_end_comes_from_the_tenants_creation_whichever_way_it_was_made(
    varnamo: Municipality, settings: Any
) -> None:
    settings.BILLING_TRIAL_DAYS = 30
    account = billing_account_ensure(tenant=varnamo)
    assert account.trial_ends_at == varnamo.created + timedelta(days=30)
    assert billing_account_ensure(tenant=varnamo).pk == account.pk  # created once


def test_the_association_is_exempt(association: Municipality) -> None:
    assert billing_account_ensure(tenant=association).exempt is True


def test_the_daily_run_moves_a_demo_tenant_into_its_trial_and_tells_its_admins(
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert not BillingAccount.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        changed = billing_statuses_refresh_task.delay().get()
    # Four demo municipalities were seeded "active" without paying: they are in their trial.
    assert changed == 4
    assert status_of("varnamo") == TenantStatus.TRIAL
    assert status_of("iv") == TenantStatus.ACTIVE
    varnamo_mail = next(m for m in mail.outbox if "Värnamo" in m.subject)
    assert varnamo_mail.to == ["admin@varnamo.demo"]
    assert "Provperiod" in varnamo_mail.subject
    assert "/staff/billing/" in varnamo_mail.body


def unpaid_subscription(
    fake_stripe: FakeStripe, failed_at: dt.datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Värnamo's subscription, past due on an open invoice whose payment failed at ``failed_at``."""
    invoice = fake_stripe.add_invoice(
        tenant="varnamo",
        customer="cus_v",
        subscription="",
        amount_ore=99500,
        status="open",
        created=int(failed_at.timestamp()),
    )
    sub = fake_stripe.add_subscription(
        tenant="varnamo",
        customer="cus_v",
        price_id="price_medium_month",
        amount_ore=99500,
        status="past_due",
        latest_invoice=invoice["id"],
    )
    invoice["parent"]["subscription_details"]["subscription"] = sub["id"]
    return invoice, sub


def assert_the_banner_tells_the_admin_only() -> None:
    # The banner tells the admin, not the coordinator, when the space becomes read-only.
    admin_page = login("varnamo", Role.ADMIN).get("/staff/").content.decode()
    assert "En betalning har misslyckats" in admin_page
    assert "Gå till betalning" in admin_page
    assert (
        "En betalning har misslyckats"
        not in login("varnamo", Role.COORDINATOR).get("/staff/").content.decode()
    )


def test_a_failed_payment_goes_past_due_then_read_only_after_the_grace_period_then_active_on_payment(
    fake_stripe: FakeStripe, varnamo: Municipality, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.BILLING_GRACE_DAYS = 14
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=40))
    failed_at = timezone.now() - timedelta(days=1)
    invoice, sub = unpaid_subscription(fake_stripe, failed_at)

    with django_capture_on_commit_callbacks(execute=True):
        stripe_event_process(event=event("invoice.payment_failed", invoice))
    assert status_of("varnamo") == TenantStatus.PAST_DUE
    assert "Betalning försenad" in mail.outbox[-1].subject

    assert_the_banner_tells_the_admin_only()

    # Thirteen days later nothing has changed; after fourteen the space is read-only.
    billing_statuses_refresh(now=failed_at + timedelta(days=13, hours=23))
    assert status_of("varnamo") == TenantStatus.PAST_DUE
    with django_capture_on_commit_callbacks(execute=True):
        billing_statuses_refresh(now=failed_at + timedelta(days=14, minutes=1))
    assert status_of("varnamo") == TenantStatus.SUSPENDED
    assert "skrivskyddat" in mail.outbox[-1].body
    assert login("varnamo", Role.COORDINATOR).get("/staff/").status_code == 200  # reading goes on

    # The card is updated and the invoice paid: active again.
    invoice.update(status="paid", amount_paid=99500)
    sub.update(status="active", latest_invoice=invoice["id"])
    with django_capture_on_commit_callbacks(execute=True):
        stripe_event_process(event=event("invoice.paid", invoice))
    assert status_of("varnamo") == TenantStatus.ACTIVE
    assert "Tack för din betalning" in mail.outbox[-1].body
    changes = list(
        TenantStatusChange.objects.filter(tenant=varnamo)
        .order_by("id")
        .values_list("old_status", "new_status")
    )
    assert changes == [
        ("active", "past_due"),
        ("past_due", "suspended"),
        ("suspended", "active"),
    ]


def test_a_trial_that_ends_unpaid_follows_the_same_path(varnamo: Municipality, settings: Any) -> None:
    settings.BILLING_GRACE_DAYS = 14
    account = billing_account_ensure(tenant=varnamo)
    billing_statuses_refresh()
    assert status_of("varnamo") == TenantStatus.TRIAL
    billing_statuses_refresh(now=account.trial_ends_at + timedelta(minutes=1))
    assert status_of("varnamo") == TenantStatus.PAST_DUE
    billing_statuses_refresh(now=account.trial_ends_at + timedelta(days=14, minutes=1))
    assert status_of("varnamo") == TenantStatus.SUSPENDED


def test_the_daily_run_leaves_tenants_that_are_not_ready_alone(varnamo: Municipality) -> None:
    Municipality.objects.filter(schema_name="varnamo").update(status=TenantStatus.PROVISIONING)
    Municipality.objects.filter(schema_name="vaggeryd").update(status=TenantStatus.ARCHIVED)
    billing_statuses_refresh(now=timezone.now() + timedelta(days=400))
    assert status_of("varnamo") == TenantStatus.PROVISIONING
    assert status_of("vaggeryd") == TenantStatus.ARCHIVED
    assert not BillingAccount.objects.filter(tenant__schema_name__in=["varnamo", "vaggeryd"]).exists()
    assert status_of("gislaved") == TenantStatus.SUSPENDED


def test_the_status_change_mail_goes_to_admins_and_the_contact_address(
    varnamo: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    Municipality.objects.filter(schema_name="varnamo").update(contact_email="kansli@varnamo.example")
    with django_capture_on_commit_callbacks(execute=True):
        billing_statuses_refresh()
    message = next(m for m in mail.outbox if "Värnamo" in m.subject)
    assert sorted(message.to) == ["admin@varnamo.demo", "kansli@varnamo.example"]


def test_the_trial_banner_appears_in_the_last_week(varnamo: Municipality) -> None:
    account = billing_account_ensure(tenant=varnamo)
    billing_statuses_refresh()
    assert "provperioden slutar" not in login("varnamo", Role.ADMIN).get("/staff/").content.decode().lower()
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() + timedelta(days=3))
    assert "provperioden slutar" in login("varnamo", Role.ADMIN).get("/staff/").content.decode().lower()
