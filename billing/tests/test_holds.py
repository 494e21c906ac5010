"""An operator's hold sticks: nothing in billing lifts it, and every web process sees it at the next write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from accounts.roles import Role
from billing.models import BillingAccount
from billing.services import billing_account_ensure, billing_statuses_refresh
from billing.tests.conftest import post_webhook
from billing.tests.fake_stripe import FakeStripe, event
from conftest import login
from ivplatform import routing
from tenants.models import Municipality, TenantHold, TenantStatus
from tenants.services import tenant_suspend, tenant_unsuspend

pytestmark = pytest.mark.django_db

REASON = "Avtalet är uppsagt i väntan på styrelsens beslut"
CAMPAIGN = "/staff/donations/campaigns/"


def varnamo_now() -> Municipality:
    return Municipality.objects.get(schema_name="varnamo")


def write(client: Client, title: str = "Vårfest") -> Any:
    return client.post(CAMPAIGN, data={"title": title})


def refused_by_hold(response: Any) -> bool:
    return response.status_code == 403 and "stängts av plattformen" in response.content.decode()


@pytest.fixture
def overdue(varnamo: Municipality) -> BillingAccount:
    """Värnamo's trial is long over and it has not paid: billing alone would make it read-only too."""
    account = billing_account_ensure(tenant=varnamo)
    BillingAccount.objects.filter(pk=account.pk).update(trial_ends_at=timezone.now() - timedelta(days=60))
    return account


def test_an_operators_suspension_records_why_who_and_when(varnamo: Municipality) -> None:
    tenant = tenant_suspend(slug="varnamo", reason=f"  {REASON}  ", set_by="ops@platform.example")
    assert (tenant.hold, tenant.hold_reason, tenant.hold_set_by) == (
        TenantHold.SUSPENDED,
        REASON,
        "ops@platform.example",
    )
    assert tenant.hold_set_at is not None
    assert tenant.status == TenantStatus.ACTIVE  # billing's own status is left alone


def test_a_suspension_needs_a_reason(varnamo: Municipality) -> None:
    from tenants.services import TenantError

    with pytest.raises(TenantError, match="Ange ett skäl"):
        tenant_suspend(slug="varnamo", reason="  ", set_by="ops@platform.example")
    assert varnamo_now().hold == TenantHold.NONE


def test_an_operators_hold_survives_the_billing_page_the_daily_refresh_and_a_paid_invoice(
    fake_stripe: FakeStripe, overdue: BillingAccount, django_capture_on_commit_callbacks: Any
) -> None:
    tenant_suspend(slug="varnamo", reason=REASON, set_by="ops@platform.example")
    admin = login("varnamo", Role.ADMIN)
    assert refused_by_hold(write(admin))

    # The admin opens the billing page, which recomputes billing's status: the hold stays.
    page = admin.get("/staff/billing/").content.decode()
    assert REASON in page
    assert varnamo_now().hold == TenantHold.SUSPENDED
    assert refused_by_hold(write(admin))

    # The daily refresh moves billing's status as time passes: the hold stays.
    with django_capture_on_commit_callbacks(execute=True):
        billing_statuses_refresh()
    assert varnamo_now().status == TenantStatus.SUSPENDED  # unpaid: billing's own read-only state
    assert varnamo_now().hold == TenantHold.SUSPENDED

    # A paid invoice makes the subscription active: billing's status follows, the hold stays.
    sub = fake_stripe.add_subscription(
        tenant="varnamo", customer="cus_hold", price_id="price_medium_month", amount_ore=99500
    )
    invoice = fake_stripe.add_invoice(
        tenant="varnamo", customer="cus_hold", subscription=sub["id"], amount_ore=99500
    )
    sub["latest_invoice"] = invoice["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(event("invoice.paid", invoice)).status_code == 200
    tenant = varnamo_now()
    assert tenant.status == TenantStatus.ACTIVE
    assert (tenant.hold, tenant.hold_reason) == (TenantHold.SUSPENDED, REASON)
    assert refused_by_hold(write(admin))
    # The "active again" e-mail does not pretend the space is open.
    assert "stängt av utrymmet" in mail.outbox[-1].body

    # Only an operator lifts it; then billing's state (active, paid) decides.
    tenant_unsuspend(slug="varnamo")
    assert write(admin).status_code == 302


def test_under_a_hold_even_the_way_to_pay_is_closed_but_signing_in_works(
    fake_stripe: FakeStripe, varnamo: Municipality
) -> None:
    tenant_suspend(slug="varnamo", reason=REASON, set_by="ops@platform.example")
    admin = login("varnamo", Role.ADMIN)  # signing in and the two-factor step still work
    response = admin.post("/staff/billing/checkout/", {"population": "33000", "interval": "month"})
    assert refused_by_hold(response)
    assert not fake_stripe.posts()


def test_every_role_sees_why_the_space_is_read_only(varnamo: Municipality) -> None:
    tenant_suspend(slug="varnamo", reason=REASON, set_by="ops@platform.example")
    for role in (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER):
        page = login("varnamo", role).get("/staff/").content.decode()
        assert REASON in page, role


def test_the_api_gets_the_holds_reason_as_json(varnamo: Municipality) -> None:
    tenant_suspend(slug="varnamo", reason=REASON, set_by="ops@platform.example")
    response = login("varnamo", Role.ADMIN).post(CAMPAIGN, {"title": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "tenant_read_only"
    assert REASON in response.json()["error"]["message"]


@pytest.fixture
def remembered_routes() -> Iterator[None]:
    """Host routing remembers each tenant for a minute, as a busy web process would."""
    routing.forget_tenant_routes()
    with override_settings(TENANT_ROUTING_CACHE_SECONDS=60):
        yield
    routing.forget_tenant_routes()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"hold": TenantHold.SUSPENDED, "hold_reason": REASON}, id="operator-hold"),
        pytest.param({"status": TenantStatus.SUSPENDED}, id="billing-suspension"),
    ],
)
def test_a_suspension_made_in_another_process_stops_the_next_write_at_once(
    varnamo: Municipality, remembered_routes: None, change: dict[str, str]
) -> None:
    admin = login("varnamo", Role.ADMIN)
    assert write(admin, "Före").status_code == 302  # this process now remembers Värnamo as open
    # Another process (a worker, an operator's shell) suspends it: a queryset update sends no signal, so
    # this process's routing cache still holds the old copy.
    Municipality.objects.filter(schema_name="varnamo").update(**change)
    assert routing._ROUTING_CACHE, "the route should still be remembered"
    response = write(admin, "Efter")
    assert response.status_code == 403
    # And lifting it shows at once too.
    Municipality.objects.filter(schema_name="varnamo").update(
        hold=TenantHold.NONE, hold_reason="", status=TenantStatus.ACTIVE
    )
    assert write(admin, "Efter igen").status_code == 302
