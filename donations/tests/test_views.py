"""The public donate page and the admin's campaign page."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from accounts.roles import Role
from billing.tests.conftest import post_webhook
from billing.tests.fake_stripe import FakeStripe, event
from conftest import login, tenant_client
from donations.models import Donation, DonationCampaign, SwishSettings
from tenants.connection import tenant_connection
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def in_schema(slug: str) -> Municipality:
    tenant: Municipality = Municipality.objects.get(schema_name=slug)
    return tenant


def campaigns(slug: str) -> list[tuple[str, int | None, str, bool]]:
    with in_schema(slug):
        rows = list(
            DonationCampaign.objects.order_by("id").values_list("title", "amount_sek", "message", "is_active")
        )
    tenant_connection().set_schema_to_public()
    return rows


def test_anyone_sees_the_swish_number_and_qr_codes_without_logging_in() -> None:
    response = tenant_client("varnamo").get("/donate/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "123 118 11 89" in body
    assert 'src="/donate/qr/general.svg"' in body
    assert 'data-payload="C1231181189;;;6"' in body
    assert "Julklappar till familjedagen" in body
    assert 'data-payload="C1231181189;200,00;Julklapp;0"' in body


@pytest.mark.parametrize(("fmt", "content_type"), [("svg", "image/svg+xml"), ("png", "image/png")])
def test_the_qr_codes_are_served_as_svg_and_png(fmt: str, content_type: str) -> None:
    response = tenant_client("varnamo").get(f"/donate/qr/general.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_a_campaigns_png_decodes_to_its_payload() -> None:
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
    png = tenant_client("varnamo").get(f"/donate/qr/{campaign.pk}.png").content
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [
        "C1231181189;200,00;Julklapp;0"
    ]


def test_a_hidden_or_unknown_campaign_has_no_qr_code() -> None:
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
        DonationCampaign.objects.filter(pk=campaign.pk).update(is_active=False)
    client = tenant_client("varnamo")
    assert client.get(f"/donate/qr/{campaign.pk}.png").status_code == 404
    assert client.get("/donate/qr/999999.png").status_code == 404
    assert client.get("/donate/qr/general.gif").status_code == 404


def test_each_network_shows_only_its_own_campaigns() -> None:
    admin = login("vaggeryd", Role.ADMIN)
    admin.post("/staff/donations/campaigns/", {"title": "Fotbollsskor i Vaggeryd", "amount_sek": "300"})
    assert "Fotbollsskor i Vaggeryd" in tenant_client("vaggeryd").get("/donate/").content.decode()
    assert "Fotbollsskor i Vaggeryd" not in tenant_client("varnamo").get("/donate/").content.decode()


def test_without_a_swish_number_the_page_says_so() -> None:
    with in_schema("gislaved"):
        SwishSettings.objects.all().delete()
    tenant_connection().set_schema_to_public()
    response = tenant_client("gislaved").get("/donate/")
    assert "inte lagt in Swish ännu" in response.content.decode()
    assert tenant_client("gislaved").get("/donate/qr/general.svg").status_code == 404


def test_the_admin_creates_a_campaign_that_appears_on_the_donate_page() -> None:
    admin = login("varnamo", Role.ADMIN)
    response = admin.post(
        "/staff/donations/campaigns/",
        {
            "title": "Sommarutflykt",
            "description": "Buss till Isaberg",
            "amount_sek": "",
            "message": "Utflykt",
        },
    )
    assert response.status_code == 302
    assert ("Sommarutflykt", None, "Utflykt", True) in campaigns("varnamo")
    assert (
        'data-payload="C1231181189;;Utflykt;2"' in tenant_client("varnamo").get("/donate/").content.decode()
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "", "message": "x"}, "Det här fältet måste fyllas i"),
        ({"title": "Läger", "message": "a;b"}, "semikolon"),
        ({"title": "Läger", "message": "x" * 51}, "som mest 50 tecken"),
        ({"title": "Läger", "amount_sek": "0"}, "större än eller lika med 1"),
    ],
)
def test_a_bad_campaign_is_refused_with_a_message_and_nothing_is_written(
    data: dict[str, str], error: str
) -> None:
    before = campaigns("varnamo")
    response = login("varnamo", Role.ADMIN).post("/staff/donations/campaigns/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert campaigns("varnamo") == before


def test_the_admin_hides_and_shows_a_campaign() -> None:
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
    admin = login("varnamo", Role.ADMIN)
    admin.post(f"/staff/donations/campaigns/{campaign.pk}/active/", {})
    assert "Julklappar till familjedagen" not in tenant_client("varnamo").get("/donate/").content.decode()
    admin.post(f"/staff/donations/campaigns/{campaign.pk}/active/", {"active": "on"})
    assert "Julklappar till familjedagen" in tenant_client("varnamo").get("/donate/").content.decode()


def test_another_networks_campaign_cannot_be_changed() -> None:
    """Each network's campaigns live in its own schema: Värnamo's id means nothing on Vaggeryd's host."""
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
    with in_schema("vaggeryd"):
        DonationCampaign.objects.filter(pk=campaign.pk).delete()  # so the same number is free there
    tenant_connection().set_schema_to_public()
    response = login("vaggeryd", Role.ADMIN).post(f"/staff/donations/campaigns/{campaign.pk}/active/", {})
    assert response.status_code == 404
    assert campaigns("varnamo")[0][3] is True


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VOLUNTEER])
def test_only_the_admin_writes_campaigns_and_swish_settings(role: Role) -> None:
    before = campaigns("varnamo")
    client = login("varnamo", role)
    assert client.post("/staff/donations/campaigns/", {"title": "Nej"}).status_code == 403
    assert client.post("/staff/donations/swish/", {"swish_number": "1239000000"}).status_code == 403
    assert campaigns("varnamo") == before


def test_the_admin_sets_the_swish_number_and_a_bad_one_is_refused() -> None:
    admin = login("varnamo", Role.ADMIN)
    response = admin.post("/staff/donations/swish/", {"swish_number": "070-123 45 67", "payee_name": "IV"})
    assert response.status_code == 400
    assert "börjar med 123" in response.content.decode()
    response = admin.post(
        "/staff/donations/swish/", {"swish_number": "123-900 12 34", "payee_name": "IV Värnamo"}
    )
    assert response.status_code == 302
    with in_schema("varnamo"):
        assert SwishSettings.objects.get().swish_number == "1239001234"
        assert SwishSettings.objects.count() == 1


# --- Card gifts ------------------------------------------------------------------------------------------


def test_a_card_gift_starts_stripe_checkout_in_sek(fake_stripe: FakeStripe) -> None:
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
    tenant_connection().set_schema_to_public()
    response = tenant_client("varnamo").post(
        "/donate/card/", {"amount_sek": "250", "campaign": str(campaign.pk), "request_key": "donor-key-123"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.test/")
    (session,) = fake_stripe.posts()
    assert session.idempotency_key
    assert session.params["mode"] == "payment"
    assert session.params["line_items[0][price_data][currency]"] == "sek"
    assert session.params["line_items[0][price_data][unit_amount]"] == "25000"
    assert session.params["metadata[kind]"] == "donation"
    assert session.params["payment_intent_data[metadata][tenant]"] == "varnamo"
    assert session.params["payment_intent_data[metadata][campaign]"] == str(campaign.pk)
    assert session.params["success_url"] == "http://varnamo.localhost/donate/thanks/"


@pytest.mark.parametrize("amount", ["5", "150001", "abc"])
def test_a_card_gift_outside_the_limits_is_refused_before_stripe(
    fake_stripe: FakeStripe, amount: str
) -> None:
    response = tenant_client("varnamo").post(
        "/donate/card/", {"amount_sek": amount, "request_key": "donor-key-123"}
    )
    assert response.status_code == 400
    assert fake_stripe.requests == []


def gift_events(fake: FakeStripe, campaign_id: int) -> list[dict[str, Any]]:
    metadata = {"kind": "donation", "tenant": "varnamo", "campaign": str(campaign_id)}
    intent = {
        "id": "pi_gift1",
        "object": "payment_intent",
        "amount": 25000,
        "amount_received": 25000,
        "currency": "sek",
        "status": "succeeded",
        "metadata": metadata,
        "created": 1_760_000_000,
    }
    session = {
        "id": "cs_gift1",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": "pi_gift1",
        "amount_total": 25000,
        "currency": "sek",
        "metadata": metadata,
        "created": 1_760_000_000,
    }
    return [event("payment_intent.succeeded", intent), event("checkout.session.completed", session)]


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["payment-first", "session-first"])
def test_a_card_gift_is_recorded_once_from_the_webhook_in_either_order(
    fake_stripe: FakeStripe, order: tuple[int, int]
) -> None:
    with in_schema("varnamo"):
        campaign = DonationCampaign.objects.get(title="Julklappar till familjedagen")
    tenant_connection().set_schema_to_public()
    events = gift_events(fake_stripe, campaign.pk)
    for index in order:
        assert post_webhook(events[index]).status_code == 200
    assert post_webhook(events[0]).status_code == 200  # a repeat delivery
    with in_schema("varnamo"):
        donation = Donation.objects.get()
        assert (donation.amount_ore, donation.currency, donation.campaign_id) == (25000, "sek", campaign.pk)
        assert donation.stripe_checkout_session_id == "cs_gift1"
    with in_schema("vaggeryd"):
        assert not Donation.objects.exists()
    tenant_connection().set_schema_to_public()
    body = login("varnamo", Role.ADMIN).get("/staff/donations/").content.decode()
    assert "250 SEK" in body


def test_an_unpaid_checkout_records_no_gift(fake_stripe: FakeStripe) -> None:
    _, session_event = gift_events(fake_stripe, 0)
    session_event["data"]["object"]["payment_status"] = "unpaid"
    assert post_webhook(session_event).status_code == 200
    with in_schema("varnamo"):
        assert not Donation.objects.exists()
