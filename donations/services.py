"""Writes of donations, always in the current tenant's schema."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import stripe
from django.db import transaction
from django.utils.translation import gettext as _

from billing.gateway import StripeNotConfigured, idempotency_key, stripe_client
from core.errors import DomainError
from donations.models import (
    MAX_DONATION_SEK,
    Donation,
    DonationCampaign,
    SwishSettings,
    normalize_swish_number,
)
from tenants.models import Municipality

logger = logging.getLogger(__name__)

MIN_CARD_DONATION_SEK = 20


class DonationError(DomainError):
    """A donation action could not be done; the message is fit to show."""


@transaction.atomic
def swish_settings_save(*, swish_number: str, payee_name: str) -> SwishSettings:
    settings_row = SwishSettings.objects.select_for_update().first() or SwishSettings()
    settings_row.swish_number = normalize_swish_number(swish_number)
    settings_row.payee_name = payee_name.strip()
    settings_row.full_clean()
    settings_row.save()
    return settings_row


@transaction.atomic
def campaign_create(
    *, title: str, description: str, amount_sek: int | None, message: str
) -> DonationCampaign:
    campaign = DonationCampaign(
        title=title.strip(), description=description.strip(), amount_sek=amount_sek, message=message.strip()
    )
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_set_active(*, campaign: DonationCampaign, active: bool) -> DonationCampaign:
    campaign.is_active = active
    campaign.full_clean()
    campaign.save(update_fields=["is_active"])
    return campaign


@transaction.atomic
def donation_record_card(
    *,
    payment_intent_id: str,
    checkout_session_id: str,
    amount_ore: int,
    currency: str,
    campaign_id: int | None,
    paid_at: datetime,
) -> Donation:
    """Record a card gift once, whichever of Stripe's two events about it (session or payment) comes first.

    The two often arrive at the same moment and are processed side by side: the row is inserted with
    ON CONFLICT DO NOTHING, so the second waits for the first's insert and then finds it, instead of
    failing on the unique payment id; what it knows that the first did not (the Checkout session) is added.
    """
    campaign = DonationCampaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    candidate = Donation(
        campaign=campaign,
        amount_ore=amount_ore,
        currency=currency.lower(),
        stripe_payment_intent_id=payment_intent_id,
        stripe_checkout_session_id=checkout_session_id,
        paid_at=paid_at,
    )
    candidate.full_clean(validate_unique=False)  # the database decides uniqueness, just below
    Donation.objects.bulk_create([candidate], ignore_conflicts=True)
    donation = Donation.objects.select_for_update().get(stripe_payment_intent_id=payment_intent_id)
    if checkout_session_id and not donation.stripe_checkout_session_id:
        donation.stripe_checkout_session_id = checkout_session_id
        donation.save(update_fields=["stripe_checkout_session_id"])
    return donation


def donation_checkout_start(
    *,
    tenant: Municipality,
    campaign: DonationCampaign | None,
    amount_sek: int,
    request_key: str,
    success_url: str,
    cancel_url: str,
    language: str = "sv",
) -> str:
    """Start Stripe Checkout for a one-off card gift in SEK; returns the URL to send the donor to."""
    if not MIN_CARD_DONATION_SEK <= amount_sek <= MAX_DONATION_SEK:
        raise DonationError(
            _("Choose an amount between %(low)s and %(high)s kronor.")
            % {"low": MIN_CARD_DONATION_SEK, "high": MAX_DONATION_SEK}
        )
    metadata = {
        "kind": "donation",
        "tenant": tenant.schema_name,
        "campaign": str(campaign.pk) if campaign else "",
    }
    name = _("Gift to %(network)s") % {"network": tenant.name}
    if campaign is not None:
        name = f"{name}: {campaign.title}"
    params: dict[str, Any] = {
        "mode": "payment",
        "submit_type": "donate",
        "line_items": [
            {
                "price_data": {
                    "currency": "sek",
                    "unit_amount": amount_sek * 100,
                    "product_data": {"name": name},
                },
                "quantity": 1,
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": "sv" if language.startswith("sv") else "en",
    }
    try:
        client = stripe_client()
        session = client.v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key("donation", tenant.schema_name, params, request_key)},
        )
    except StripeNotConfigured as exc:
        raise DonationError(_("Card gifts are not possible on this server; please use Swish.")) from exc
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a donation checkout for %s: %s", tenant.schema_name, exc)
        raise DonationError(
            _("The card payment could not be started. Please try again, or use Swish.")
        ) from exc
    if not session.url:
        raise DonationError(_("The card payment could not be started. Please try again, or use Swish."))
    return session.url
