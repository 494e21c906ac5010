from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from billing.extensions import card_gift_paid
        from donations.services import donation_record_card

        card_gift_paid.add(donation_record_card)
