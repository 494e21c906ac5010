"""Tenants: one per municipality, and one for the umbrella association. Each owns a PostgreSQL schema."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class TenantKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ASSOCIATION = "association", _("Association")


class TenantStatus(models.TextChoices):
    PROVISIONING = "provisioning", _("Being set up")
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment overdue")
    SUSPENDED = "suspended", _("Suspended (read-only)")
    ARCHIVED = "archived", _("Archived")


# Statuses in which a tenant's space is open to its users and its scheduled jobs run.
READY_STATUSES = frozenset(
    {TenantStatus.TRIAL, TenantStatus.ACTIVE, TenantStatus.PAST_DUE, TenantStatus.SUSPENDED}
)


class Municipality(TenantMixin):
    """A tenant. ``schema_name`` is the slug: the host is ``<slug>.<BASE_DOMAIN>``."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=20, choices=TenantKind.choices, default=TenantKind.MUNICIPALITY
    )
    county = models.CharField(_("county"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TenantStatus.choices, default=TenantStatus.PROVISIONING
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    auto_create_schema = True

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        return self.schema_name

    @property
    def is_association(self) -> bool:
        return self.kind == TenantKind.ASSOCIATION

    @property
    def is_ready(self) -> bool:
        return self.status in READY_STATUSES


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain
