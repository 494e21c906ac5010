from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Municipalities")

    def ready(self) -> None:
        # Registers the system check that the template schema is migrated (tenants.E001).
        from tenants import template  # noqa: F401
