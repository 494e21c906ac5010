"""Starting Stripe Checkout and the customer portal: the right parameters, an idempotency key on every create."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.roles import Role
from billing.models import BillingAccount, Plan
from billing.selectors import plan_for_population
from billing.services import (
    BillingError,
    billing_checkout_confirm,
    billing_checkout_start,
    billing_portal_start,
)
from billing.tests.fake_stripe import FakeStripe
from conftest import demo_user
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db


def start(tenant: Municipality, **overrides: Any) -> str:
    arguments: dict[str, Any] = {
        "tenant": tenant,
        "actor": demo_user("varnamo", Role.ADMIN),
        "population": 34_000,
        "interval": "month",
        "request_key": "form-key-1",
        "success_url": "http://varnamo.localhost/staff/billing/checkout/done/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://varnamo.localhost/staff/billing/",
    }
    arguments.update(overrides)
    return billing_checkout_start(**arguments)


@pytest.mark.parametrize(
    ("population", "code"),
    [(1, "small"), (15_000, "small"), (15_001, "medium"), (97_000, "large"), (990_000, "xlarge")],
)
def test_the_plan_follows_the_population(population: int, code: str) -> None:
    plan = plan_for_population(population)
    assert plan is not None
    assert plan.code == code


def test_checkout_starts_a_subscription_for_the_tier_and_interval(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    url = start(varnamo, interval="year")
    assert url.startswith("https://checkout.stripe.test/")
    customer, session = fake_stripe.posts()
    assert customer.path == "/v1/customers"
    assert customer.params["metadata[tenant]"] == "varnamo"
    assert session.path == "/v1/checkout/sessions"
    assert session.params["mode"] == "subscription"
    assert session.params["line_items[0][price]"] == "price_medium_year"
    assert session.params["client_reference_id"] == "varnamo"
    assert session.params["customer"] == fake_stripe.objects[session.params["customer"]]["id"]
    assert session.params["subscription_data[metadata][tenant]"] == "varnamo"
    account = BillingAccount.objects.get(tenant=varnamo)
    assert account.population == 34_000
    assert account.stripe_customer_id == session.params["customer"]


def test_every_create_sends_an_idempotency_key(fake_stripe: FakeStripe, varnamo: Municipality) -> None:
    start(varnamo)
    billing_portal_start(
        tenant=varnamo, return_url="http://varnamo.localhost/staff/billing/", request_key="portal-1"
    )
    posts = fake_stripe.posts()
    assert [p.path for p in posts] == [
        "/v1/customers",
        "/v1/checkout/sessions",
        "/v1/billing_portal/sessions",
    ]
    keys = [p.idempotency_key for p in posts]
    assert all(keys)
    assert len(set(keys)) == 3


def test_a_double_submit_reuses_the_same_checkout_session(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    assert start(varnamo) == start(varnamo)
    assert len({p.idempotency_key for p in fake_stripe.posts() if p.path == "/v1/checkout/sessions"}) == 1
    assert len([o for o in fake_stripe.objects.values() if o["object"] == "checkout.session"]) == 1


def test_a_new_form_gets_a_new_session(fake_stripe: FakeStripe, varnamo: Municipality) -> None:
    assert start(varnamo, request_key="form-key-1") != start(varnamo, request_key="form-key-2")
    # The customer is made once and reused.
    assert len([p for p in fake_stripe.posts() if p.path == "/v1/customers"]) == 1


def test_subscribing_during_the_trial_keeps_the_free_days(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    start(varnamo)
    account = BillingAccount.objects.get(tenant=varnamo)
    session = fake_stripe.posts()[-1]
    assert int(session.params["subscription_data[trial_end]"]) == int(account.trial_ends_at.timestamp())


def test_subscribing_after_the_trial_charges_at_once(
    fake_stripe: FakeStripe, varnamo_account: BillingAccount
) -> None:
    BillingAccount.objects.filter(pk=varnamo_account.pk).update(
        trial_ends_at=timezone.now() - timedelta(days=1)
    )
    start(varnamo_account.tenant)
    assert "subscription_data[trial_end]" not in fake_stripe.posts()[-1].params


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"interval": "week"}, "månads- eller årsbetalning"),
        ({"population": 0}, "Ingen prisplan passar"),
    ],
)
def test_bad_choices_are_refused_and_nothing_is_sent(
    fake_stripe: FakeStripe, varnamo: Municipality, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(BillingError, match=message):
        start(varnamo, **overrides)
    assert fake_stripe.requests == []


def test_a_plan_without_a_price_id_cannot_be_bought(
    fake_stripe: FakeStripe, varnamo: Municipality, settings: Any
) -> None:
    settings.STRIPE_PRICE_IDS = {}
    with pytest.raises(BillingError, match="kan inte betalas med kort ännu"):
        start(varnamo)
    assert fake_stripe.requests == []


def test_a_price_id_set_on_the_plan_wins_over_the_setting(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    Plan.objects.filter(code="medium").update(stripe_price_month="price_from_admin")
    start(varnamo)
    assert fake_stripe.posts()[-1].params["line_items[0][price]"] == "price_from_admin"


def test_without_a_stripe_key_the_admin_is_told_plainly(varnamo: Municipality, settings: Any) -> None:
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PRICE_IDS = {"medium:month": "price_medium_month"}
    with pytest.raises(BillingError, match="inte inställd"):
        start(varnamo)


def test_stripe_refusing_the_checkout_gives_a_clear_error(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    fake_stripe.fail_next = 10
    with pytest.raises(BillingError, match="Försök igen"):
        start(varnamo)


def test_an_exempt_network_cannot_subscribe(fake_stripe: FakeStripe, varnamo_account: BillingAccount) -> None:
    BillingAccount.objects.filter(pk=varnamo_account.pk).update(exempt=True)
    with pytest.raises(BillingError, match="befriat"):
        start(varnamo_account.tenant)


def test_a_second_subscription_is_refused(fake_stripe: FakeStripe, varnamo_account: BillingAccount) -> None:
    BillingAccount.objects.filter(pk=varnamo_account.pk).update(subscription_status="active")
    with pytest.raises(BillingError, match="kundportalen"):
        start(varnamo_account.tenant)


def test_the_portal_needs_a_customer(fake_stripe: FakeStripe, varnamo: Municipality) -> None:
    with pytest.raises(BillingError, match="teckna ett abonnemang först"):
        billing_portal_start(tenant=varnamo, return_url="http://x/", request_key="k-12345678")


def test_returning_from_checkout_mirrors_the_subscription_at_once(
    fake_stripe: FakeStripe, varnamo_account: BillingAccount
) -> None:
    BillingAccount.objects.filter(pk=varnamo_account.pk).update(
        trial_ends_at=timezone.now() - timedelta(days=1)
    )
    start(varnamo_account.tenant)
    session_id = next(o["id"] for o in fake_stripe.objects.values() if o["object"] == "checkout.session")
    assert (
        billing_checkout_confirm(tenant=varnamo_account.tenant, session_id=session_id) is False
    )  # not paid yet
    fake_stripe.complete_checkout(session_id)
    assert billing_checkout_confirm(tenant=varnamo_account.tenant, session_id=session_id) is True
    varnamo_account.refresh_from_db()
    assert varnamo_account.subscription_status == "active"
    assert Municipality.objects.get(schema_name="varnamo").status == TenantStatus.ACTIVE


def test_another_tenants_checkout_session_is_not_accepted(
    fake_stripe: FakeStripe, varnamo: Municipality, vaggeryd: Municipality
) -> None:
    start(varnamo)
    session_id = next(o["id"] for o in fake_stripe.objects.values() if o["object"] == "checkout.session")
    fake_stripe.complete_checkout(session_id)
    with pytest.raises(BillingError, match="kunde inte hittas"):
        billing_checkout_confirm(tenant=vaggeryd, session_id=session_id)
    assert not BillingAccount.objects.filter(tenant=vaggeryd).exclude(subscription_status="").exists()
