"""Demo data for the donate page: a Swish number and one campaign per municipality, created once."""

from __future__ import annotations

from django.db import transaction

from donations.models import DonationCampaign, SwishSettings
from donations.services import campaign_create, swish_settings_save

# Swish's own published test payee number (its merchant simulator): a demo must never show a real
# organisation's number, or someone trying the demo could send it money.
DEMO_SWISH_NUMBER = "1231181189"


@transaction.atomic
def donations_demo_seed(*, network_name: str) -> None:
    """In the current tenant's schema; does nothing where the network has set up Swish already."""
    if SwishSettings.objects.exists():
        return
    swish_settings_save(
        swish_number=DEMO_SWISH_NUMBER, payee_name=f"Internationella Vänner {network_name} (demo)"
    )
    if not DonationCampaign.objects.exists():
        campaign_create(
            title="Julklappar till familjedagen",
            description="Varje barn på familjedagen i december får en julklapp.",
            amount_sek=200,
            message="Julklapp",
        )
