from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from portal.services import household_signups_erase, signups_purge_due
        from privacy.extensions import household_erasure, retention_purges

        household_erasure.add(household_signups_erase)
        retention_purges.add(signups_purge_due)
