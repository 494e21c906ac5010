"""The billing page on a tenant's host (admin only) and the operator's overview on the public host."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from billing.models import BillingAccount, Invoice, Plan
from billing.services import billing_account_ensure
from billing.tests.fake_stripe import FakeStripe
from conftest import login, tenant_client
from tenants.connection import tenant_connection
from tenants.models import Municipality, TenantStatus

pytestmark = pytest.mark.django_db

TENANT_PAGES = ["/staff/billing/", "/staff/donations/"]


@pytest.mark.parametrize("path", TENANT_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [(Role.ADMIN, 200), (Role.COORDINATOR, 403), (Role.VOLUNTEER, 403)]
)
def test_only_the_admin_opens_billing_and_donation_management(path: str, role: Role, expected: int) -> None:
    assert login("varnamo", role).get(path).status_code == expected


@pytest.mark.parametrize("path", TENANT_PAGES)
def test_anonymous_is_sent_to_login(path: str) -> None:
    response = tenant_client("varnamo").get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", TENANT_PAGES)
def test_an_outsider_from_vaggeryd_is_refused(path: str) -> None:
    outsider = login("vaggeryd", Role.ADMIN)
    client = tenant_client("varnamo")
    client.cookies["sessionid"] = outsider.cookies["sessionid"].value
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_navigation_shows_billing_and_donations_to_the_admin_only() -> None:
    admin_nav = [
        url
        for group in login("varnamo", Role.ADMIN).get("/staff/").context["navigation"]
        for _, url in group.links
    ]
    coordinator_nav = [
        url
        for group in login("varnamo", Role.COORDINATOR).get("/staff/").context["navigation"]
        for _, url in group.links
    ]
    assert {"/staff/billing/", "/staff/donations/"} <= set(admin_nav)
    assert not {"/staff/billing/", "/staff/donations/"} & set(coordinator_nav)


def test_the_billing_page_shows_status_trial_and_the_price_table(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(population=34_000)
    response = login("varnamo", Role.ADMIN).get("/staff/billing/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Provperiod" in body  # the status, recomputed: a demo tenant is in its trial
    assert account.trial_ends_at.strftime("%Y") in body
    for price in ("495 kr", "995 kr", "1\u00a0995 kr", "3\u00a0495 kr", "9\u00a0950 kr"):
        assert price in body
    assert "796 kr exkl. moms" in body  # 995 / 1.25
    assert "er nivå" in body  # Värnamo's tier is marked
    assert "Gå vidare till betalning" in body


def test_without_stripe_the_page_says_card_payments_are_not_configured(
    varnamo: Municipality, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY = ""
    body = login("varnamo", Role.ADMIN).get("/staff/billing/").content.decode()
    assert "Kortbetalning är inte inställd på den här servern" in body
    assert "Gå vidare till betalning" not in body


def test_subscribing_from_the_page_goes_to_stripe_and_back(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=2))
    admin = login("varnamo", Role.ADMIN)
    form = admin.get("/staff/billing/").context["form"]
    response = admin.post(
        "/staff/billing/checkout/",
        {"population": "34000", "interval": "year", "request_key": form.initial["request_key"]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.test/c/pay/cs_")
    session = fake_stripe.posts()[-1]
    assert session.params["success_url"] == (
        "http://varnamo.localhost/staff/billing/checkout/done/?session_id={CHECKOUT_SESSION_ID}"
    )
    session_id = response["Location"].rsplit("/", 1)[1]
    fake_stripe.complete_checkout(session_id)
    response = admin.get(f"/staff/billing/checkout/done/?session_id={session_id}", follow=True)
    body = response.content.decode()
    assert "Tack! Abonnemanget har startat." in body
    assert "Öppna kundportalen" in body
    assert Invoice.objects.count() == 0  # invoices arrive through the webhook, not the return page
    account.refresh_from_db()
    assert account.subscription_status == "active"
    assert account.price_amount_ore == 995000  # medium, yearly
    assert "Aktiv" in body


def test_a_bad_subscribe_form_is_shown_again_with_errors_and_nothing_is_sent(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    response = login("varnamo", Role.ADMIN).post(
        "/staff/billing/checkout/", {"population": "-3", "interval": "month", "request_key": "abcdefgh12"}
    )
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert fake_stripe.requests == []


def test_the_portal_button_goes_to_stripes_portal(fake_stripe: FakeStripe, varnamo: Municipality) -> None:
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(
        stripe_customer_id="cus_abc", subscription_status="active"
    )
    response = login("varnamo", Role.ADMIN).post("/staff/billing/portal/", {"request_key": "abcdefgh12"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.test/p/session/")
    assert fake_stripe.posts()[-1].params == {
        "customer": "cus_abc",
        "return_url": "http://varnamo.localhost/staff/billing/",
    }


def test_the_page_lists_invoices_in_a_fixed_number_of_queries(
    fake_stripe: FakeStripe, varnamo: Municipality, django_assert_num_queries: Any
) -> None:

    account = billing_account_ensure(tenant=varnamo)
    admin = login("varnamo", Role.ADMIN)
    admin.get("/staff/billing/")  # status settled

    def add_invoices(count: int) -> None:
        for n in range(count):
            Invoice.objects.create(
                account=account,
                stripe_invoice_id=f"in_{count}_{n}",
                number=f"IVP-{count}{n}",
                status="paid",
                amount_due_ore=99500,
                amount_paid_ore=99500,
                issued_at=timezone.now(),
                hosted_invoice_url="https://invoice.stripe.test/x",
            )

    add_invoices(1)
    with CaptureQueriesContext(connection) as one:
        admin.get("/staff/billing/")
    # django-tenants sets the search path before each query, so half of these are "SET search_path".
    assert len(one.captured_queries) <= 30
    add_invoices(10)
    with django_assert_num_queries(len(one.captured_queries)):
        body = admin.get("/staff/billing/").content.decode()
    assert body.count("<td>IVP-") == 11
    assert "995 SEK" in body


# --- Operator view ---------------------------------------------------------------------------------------


@pytest.fixture
def operator(db: None) -> Client:
    tenant_connection().set_schema_to_public()  # operators live in the public schema
    User.objects.create_superuser("ops@ivplattform.example", "a-long-operator-password")
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(User.objects.get(email="ops@ivplattform.example"))
    return client


def test_the_operator_sees_every_tenant_and_the_mrr(operator: Client) -> None:
    medium = Plan.objects.get(code="medium")
    operator.get("/billing/operator/")  # the first request of a session does its own bookkeeping
    with CaptureQueriesContext(connection) as before:
        operator.get("/billing/operator/")
    for slug, amount, interval, status in [
        ("varnamo", 99500, "month", "active"),
        ("vaxjo", 1995000, "year", "active"),
        ("gislaved", 99500, "month", "past_due"),
        ("vaggeryd", 49500, "month", "canceled"),
    ]:
        account = billing_account_ensure(tenant=Municipality.objects.get(schema_name=slug))
        BillingAccount.objects.filter(pk=account.pk).update(
            subscription_status=status, price_amount_ore=amount, price_interval=interval, plan=medium
        )
    with CaptureQueriesContext(connection) as after:
        response = operator.get("/billing/operator/")
    # Tenants, their accounts and plans come in one query, however many there are.
    assert len(after.captured_queries) == len(before.captured_queries)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.mrr_ore == 99500 + round(1995000 / 12) + 99500
    body = response.content.decode()
    for name in ("Värnamo", "Växjö", "Gislaved", "Vaggeryd och Skillingaryd", "Internationella Vänner"):
        assert name in body
    assert "3\u00a0652,50 kr" in body  # 995 + 1 662,50 + 995
    assert "Mellan, årsvis" in body
    assert "Aktiv · befriad" in body  # the association pays nothing


def test_the_operator_signs_out_on_the_public_host(operator: Client) -> None:
    response = operator.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert operator.get("/billing/operator/")["Location"].startswith("/admin/login/")


def test_the_operator_view_is_for_superusers_only(db: None) -> None:
    tenant_connection().set_schema_to_public()
    anonymous = Client(HTTP_HOST=settings.BASE_DOMAIN).get("/billing/operator/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    User.objects.create_user("staff@ivplattform.example", "a-long-staff-password", is_staff=True)
    staff = Client(HTTP_HOST=settings.BASE_DOMAIN)
    staff.force_login(User.objects.get(email="staff@ivplattform.example"))
    assert staff.get("/billing/operator/").status_code == 403


def test_the_operator_view_is_not_on_tenant_hosts() -> None:
    assert login("varnamo", Role.ADMIN).get("/billing/operator/").status_code == 404


def test_tenant_status_labels_are_shown_to_the_operator(operator: Client) -> None:
    Municipality.objects.filter(schema_name="vaxjo").update(status=TenantStatus.SUSPENDED)
    assert "Avstängd (endast läsning)" in operator.get("/billing/operator/").content.decode()
