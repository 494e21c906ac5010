"""In real Chromium: Värnamo's admin subscribes from the billing page; the donate page shows a readable QR code."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import zxingcpp
from django.db import connections
from PIL import Image

from accounts.roles import Role
from billing.models import BillingAccount, Invoice, TenantStatusChange
from billing.tests.fake_stripe import FakeStripe
from conftest import ARTIFACTS, browser_login
from tenants.models import Municipality

pytestmark = pytest.mark.browser


@pytest.fixture
def checkout_on_live_server(
    fake_stripe: FakeStripe, live_url: Callable[[str, str], str]
) -> Iterator[FakeStripe]:
    """Stripe's hosted page is simulated: paying succeeds at once and Checkout sends the browser back."""
    fake_stripe.complete_checkouts = True
    fake_stripe.checkout_url = lambda session: session["success_url"].replace(
        "{CHECKOUT_SESSION_ID}", session["id"]
    )
    varnamo = Municipality.objects.get(schema_name="varnamo")
    status = varnamo.status
    yield fake_stripe
    # Browser tests commit: put Värnamo back as it was for whatever runs next.
    Invoice.objects.filter(account__tenant=varnamo).delete()
    TenantStatusChange.objects.filter(tenant=varnamo).delete()
    BillingAccount.objects.filter(tenant=varnamo).delete()
    Municipality.objects.filter(pk=varnamo.pk).update(status=status)
    # This thread's connection was opened outside any test transaction; leave none behind.
    connections.close_all()


def test_the_admin_starts_a_subscription_from_the_billing_page(
    desktop: Any, live_url: Callable[[str, str], str], checkout_on_live_server: FakeStripe
) -> None:
    browser_login(desktop, live_url, "varnamo", Role.ADMIN)
    desktop.get_by_role("navigation").get_by_role("link", name="Betalning").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", level=1).inner_text() == "Betalning"
    assert desktop.get_by_test_id("tenant-status").inner_text() == "Provperiod"

    desktop.get_by_label("Kommunens invånarantal").fill("34000")
    desktop.get_by_label("Årsvis").check()
    desktop.get_by_role("button", name="Gå vidare till betalning").click()
    desktop.wait_for_load_state()

    assert desktop.url == live_url("varnamo", "/staff/billing/")
    assert "Tack! Abonnemanget har startat." in desktop.locator(".messages").inner_text()
    # Subscribed during the free trial: the card is charged when the trial ends, so the status stays trial.
    account = BillingAccount.objects.get(tenant__schema_name="varnamo")
    assert account.subscription_status == "trialing"
    assert desktop.get_by_test_id("tenant-status").inner_text() == "Provperiod"
    facts = desktop.locator(".facts").inner_text()
    assert "Mellan, årsvis" in facts
    assert "9\u00a0950 kr" in facts  # the first yearly payment, when the trial ends
    assert desktop.get_by_role("button", name="Öppna kundportalen").is_visible()
    session = next(r for r in checkout_on_live_server.posts() if r.path == "/v1/checkout/sessions")
    assert session.params["line_items[0][price]"] == "price_medium_year"
    assert int(session.params["subscription_data[trial_end]"]) == int(account.trial_ends_at.timestamp())
    ARTIFACTS.mkdir(exist_ok=True)
    desktop.screenshot(path=str(ARTIFACTS / "billing-page-subscribed.png"), full_page=True)


def test_the_donate_page_shows_a_swish_qr_code_a_phone_can_read(
    phone: Any, live_url: Callable[[str, str], str]
) -> None:
    phone.goto(live_url("varnamo", "/donate/"))
    assert phone.get_by_role("heading", level=1).inner_text() == "Stöd Värnamo"
    assert phone.get_by_test_id("swish-number").first.inner_text() == "123 118 11 89"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    qr = phone.get_by_role("img", name="Swish-QR-kod för 123 118 11 89; du väljer belopp")
    qr.scroll_into_view_if_needed()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    # Read the code the way a phone's camera would: from the pixels on the screen.
    shot = qr.screenshot()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "donate-qr.png").write_bytes(shot)
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert decoded == ["C1231181189;;;6"]
