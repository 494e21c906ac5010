"""Tenants: one per municipality, and one for the umbrella association. Each owns a PostgreSQL schema."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management import call_command
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import get_creation_fakes_migrations, schema_exists


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


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def ready(self) -> MunicipalityQuerySet:
        """Tenants whose space is open and whose scheduled jobs run (``core.tenancy.tasks_fan_out``)."""
        return self.filter(status__in=READY_STATUSES)


class Municipality(TenantMixin):
    """A tenant. ``schema_name`` is the slug: the host is ``<slug>.<BASE_DOMAIN>``."""

    objects = MunicipalityQuerySet.as_manager()

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
    # kommunkod from tenants/data/municipalities.csv; blank for the association and the public tenant.
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True, default="")

    auto_create_schema = True

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            # A municipality is on the platform once, whatever address it chose.
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="tenants_one_tenant_per_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        return str(self.schema_name)

    def create_schema(
        self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1
    ) -> bool:
        """django-tenants' create_schema, cloning the template with tenants/clone.py instead of its general
        clone_schema() function, which slows down as tenants multiply (see that module)."""
        from tenants.clone import schema_clone
        from tenants.connection import tenant_connection
        from tenants.template import template_schema_name

        template = template_schema_name()
        if not (sync_schema and get_creation_fakes_migrations() and schema_exists(template)):
            created = super().create_schema(check_if_exists, sync_schema, verbosity)
            return created is not False
        _check_schema_name(self.schema_name)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        schema_clone(source=template, target=self.schema_name)
        call_command(
            "migrate_schemas",
            tenant=True,
            fake=True,
            schema_name=self.schema_name,
            interactive=False,
            verbosity=verbosity,
        )
        tenant_connection().set_schema_to_public()
        return True

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
        return str(self.domain)


class PlatformSettings(models.Model):
    """Platform-wide switches, one row, edited by operators in Django admin on the public host."""

    approval_required = models.BooleanField(
        _("board approval required"),
        default=False,
        help_text=_(
            "When on, a confirmed sign-up waits for a board member of the association to approve it "
            "before its space is created."
        ),
    )

    class Meta:
        verbose_name = _("platform settings")
        verbose_name_plural = _("platform settings")

    def __str__(self) -> str:
        return str(_("Platform settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # a singleton: there is only ever this one row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> PlatformSettings:
        """The settings; their defaults until an operator first saves them (reading never writes)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    PENDING = "pending", _("Waiting for approval")
    QUEUED = "queued", _("Waiting to be set up")
    PROVISIONING = "provisioning", _("Being set up")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Setup failed")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed: space deleted")


# An application in one of these holds its address and its municipality: no other may take them meanwhile.
CLAIMING_STATUSES = (
    ApplicationStatus.PENDING,
    ApplicationStatus.QUEUED,
    ApplicationStatus.PROVISIONING,
    ApplicationStatus.READY,
    ApplicationStatus.FAILED,
)


class ProvisioningStep(models.TextChoices):
    """The steps the applicant watches on the progress page, in order."""

    QUEUED = "queued", _("Waiting to start")
    DATABASE = "database", _("Creating your database")
    MIGRATIONS = "migrations", _("Recording the database version")
    ADMIN = "admin", _("Creating your administrator account")
    ADDRESS = "address", _("Opening your address")
    READY = "ready", _("Ready")


class OnboardingApplication(models.Model):
    """A municipality's sign-up, from the form to a ready space. Lives in the public schema."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality_code = models.CharField(_("municipality code"), max_length=4)
    municipality_name = models.CharField(_("municipality"), max_length=60)
    county = models.CharField(_("county"), max_length=60)
    slug = models.CharField(_("address"), max_length=40)
    organisation = models.CharField(_("organisation"), max_length=150)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    language = models.CharField(_("language"), max_length=8, default="sv")
    # How the applicant reached the public host, so links in e-mails sent later (by a worker, with no
    # request) point at the same scheme and port: http://…:8000 in development, https in production.
    link_scheme = models.CharField(max_length=5, default="https")
    link_port = models.CharField(max_length=5, blank=True, default="")
    terms_version = models.CharField(_("terms version"), max_length=20)
    terms_accepted_at = models.DateTimeField(_("terms accepted"))
    dpa_accepted_at = models.DateTimeField(_("data processing agreement accepted"))
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.UNCONFIRMED
    )
    step = models.CharField(
        _("step"), max_length=20, choices=ProvisioningStep.choices, default=ProvisioningStep.QUEUED
    )
    failure_message = models.TextField(_("failure shown to the applicant"), blank=True)
    failure_detail = models.TextField(_("failure detail for operators"), blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=254, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    provisioning_started_at = models.DateTimeField(_("setup started"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    tenant = models.ForeignKey(
        Municipality,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at"]
        constraints = [
            # The database decides races: of two sign-ups confirmed at the same moment for one address
            # or one municipality, exactly one gets the claim.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(status__in=CLAIMING_STATUSES),
                name="tenants_application_one_claim_per_slug",
            ),
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=Q(status__in=CLAIMING_STATUSES),
                name="tenants_application_one_claim_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_name} ({self.slug})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ApplicationStatus.READY, ApplicationStatus.FAILED, ApplicationStatus.REJECTED}

    @property
    def seconds_to_ready(self) -> float | None:
        """From the confirmed e-mail (or the board's approval) to a ready space."""
        start = self.decided_at or self.confirmed_at
        if start is None or self.ready_at is None:
            return None
        return (self.ready_at - start).total_seconds()
