"""Writes to tenants. Creating a tenant creates its schema and its host."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_exists

from core.errors import DomainError
from tenants.connection import tenant_connection
from tenants.models import (
    READY_STATUSES,
    ApplicationStatus,
    Domain,
    Municipality,
    TenantHold,
    TenantKind,
    TenantStatus,
)
from tenants.selectors import tenant_host
from tenants.template import template_schema_problem, template_schema_unapplied

logger = logging.getLogger(__name__)


class TenantError(DomainError):
    """A tenant could not be created or changed; the message is fit to show."""


def public_tenant_ensure(*, domain: str) -> Municipality:
    """The public schema's own tenant row and its host: the platform's landing page lives there."""
    tenant, _ = Municipality.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Internationella Vänner – plattformen", "status": TenantStatus.ACTIVE},
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def tenant_create(
    *,
    slug: str,
    name: str,
    kind: TenantKind = TenantKind.MUNICIPALITY,
    county: str = "",
    contact_email: str = "",
    status: TenantStatus = TenantStatus.TRIAL,
    municipality_code: str = "",
) -> Municipality:
    """Create the tenant row, its schema (migrated) and its primary host ``<slug>.<BASE_DOMAIN>``.

    The schema is cloned from the template when there is one (django-tenants does that on save); a
    template that lags behind the migrations is refused rather than cloned into a tenant missing tables.
    """
    if Municipality.objects.filter(schema_name=slug).exists():
        raise TenantError(f"A space with the address {slug!r} already exists.")
    if template_schema_unapplied():  # None: no template yet, and django-tenants runs the migrations
        raise TenantError(template_schema_problem() or "")
    tenant = Municipality(
        schema_name=slug,
        name=name,
        kind=kind,
        county=county,
        contact_email=contact_email,
        status=status,
        municipality_code=municipality_code,
    )
    tenant.full_clean()
    # One transaction: the row, the schema and the host appear together or not at all. It also keeps
    # django-tenants from closing the connection after recording migrations, so a run of creations (the
    # demo seed) reuses one warm connection; the clone function's first call on a connection is slow.
    with transaction.atomic():
        tenant.save(verbosity=0)  # creates the schema: cloned from the template, or migrated without one
        Domain.objects.create(domain=tenant_host(slug), tenant=tenant, is_primary=True)
    return tenant


def _get_tenant(slug: str) -> Municipality:
    tenant = (
        Municipality.objects.exclude(schema_name=get_public_schema_name()).filter(schema_name=slug).first()
    )
    if tenant is None:
        raise TenantError(_("There is no space with the address “%(slug)s”.") % {"slug": slug})
    return tenant


def _get_tenant_for_update(slug: str) -> Municipality:
    tenant = (
        Municipality.objects.select_for_update()
        .exclude(schema_name=get_public_schema_name())
        .filter(schema_name=slug)
        .first()
    )
    if tenant is None:
        raise TenantError(_("There is no space with the address “%(slug)s”.") % {"slug": slug})
    return tenant


def _hold_set(tenant: Municipality, *, hold: TenantHold, reason: str, set_by: str) -> None:
    reason = " ".join(reason.split())
    if not reason:
        raise TenantError(_("Give a reason: the space's admins see it."))
    if not set_by.strip():
        raise TenantError("Say who sets the hold.")
    tenant.hold = hold
    tenant.hold_reason = reason
    tenant.hold_set_by = set_by.strip()
    tenant.hold_set_at = timezone.now()


_HOLD_FIELDS = ["hold", "hold_reason", "hold_set_by", "hold_set_at"]


@transaction.atomic
def tenant_suspend(*, slug: str, reason: str, set_by: str) -> Municipality:
    """An operator suspends a space: it stays reachable, read-only for its users, until an operator lifts it.

    The hold is kept apart from the status billing computes, so nothing in billing (a payment, the billing
    page, the daily refresh) lifts it. ``set_by`` says who: the operator's e-mail, or the command line's user.
    """
    tenant = _get_tenant_for_update(slug)
    if tenant.status not in READY_STATUSES or tenant.is_held:
        raise TenantError(
            _("Only a space in use can be suspended; “%(slug)s” is %(status)s.")
            % {
                "slug": slug,
                "status": (
                    tenant.get_hold_display() if tenant.is_held else tenant.get_status_display()
                ).lower(),
            }
        )
    _hold_set(tenant, hold=TenantHold.SUSPENDED, reason=reason, set_by=set_by)
    tenant.full_clean()
    tenant.save(update_fields=_HOLD_FIELDS)
    logger.info("Tenant %s suspended by an operator", tenant.schema_name)
    return tenant


@transaction.atomic
def tenant_unsuspend(*, slug: str) -> Municipality:
    """Lift an operator's suspension. The space's status is billing's again (unpaid stays read-only)."""
    tenant = _get_tenant_for_update(slug)
    if tenant.hold != TenantHold.SUSPENDED:
        raise TenantError(_("“%(slug)s” is not suspended.") % {"slug": slug})
    tenant.hold = TenantHold.NONE
    tenant.hold_reason = ""
    tenant.hold_set_by = ""
    tenant.hold_set_at = None
    tenant.full_clean()
    tenant.save(update_fields=_HOLD_FIELDS)
    logger.info("Tenant %s: the operator's suspension was lifted", tenant.schema_name)
    return tenant


@transaction.atomic
def tenant_archive(*, slug: str, reason: str, set_by: str) -> Municipality:
    """Close a space but keep its data: the host stops answering, the schema and the row stay.

    Its status becomes archived too, which billing never changes and no scheduled job runs for.
    """
    tenant = _get_tenant_for_update(slug)
    if tenant.status in {TenantStatus.ARCHIVED, TenantStatus.PROVISIONING}:
        raise TenantError(
            _("“%(slug)s” cannot be archived while it is %(status)s.")
            % {"slug": slug, "status": tenant.get_status_display()}
        )
    _hold_set(tenant, hold=TenantHold.ARCHIVED, reason=reason, set_by=set_by)
    tenant.status = TenantStatus.ARCHIVED
    tenant.full_clean()
    tenant.save(update_fields=["status", *_HOLD_FIELDS])
    # Without a domain the host routes nowhere (a clear "no space here" page); the data is untouched.
    Domain.objects.filter(tenant=tenant).delete()
    logger.info("Tenant %s archived by an operator", tenant.schema_name)
    return tenant


@transaction.atomic
def tenant_delete(*, slug: str, confirmation: str) -> None:
    """Delete an archived space for good: its schema, its row and its hosts.

    Only after an archive, and only when ``confirmation`` repeats the slug, so a slip of the hand in
    admin or in a shell cannot delete a space in use. Its sign-up is kept, closed, for the record.
    """
    tenant = _get_tenant(slug)
    if tenant.status != TenantStatus.ARCHIVED:
        raise TenantError(_("Archive “%(slug)s” before deleting it.") % {"slug": slug})
    if confirmation.strip() != slug:
        raise TenantError(_("Type the address “%(slug)s” exactly to confirm the deletion.") % {"slug": slug})
    tenant.applications.update(status=ApplicationStatus.CLOSED)
    tenant_remove(tenant=tenant)


def tenant_remove(*, tenant: Municipality) -> None:
    """Drop the schema and delete the row and its domains, in one transaction (DDL is transactional)."""
    if tenant.schema_name == get_public_schema_name():
        raise TenantError("The public schema is never removed.")
    with transaction.atomic():
        tenant_connection().set_schema_to_public()
        if schema_exists(tenant.schema_name):
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA {quote_schema_name(tenant.schema_name)} CASCADE")
        # A queryset delete: the model's delete() would try to drop the schema a second time.
        Municipality.objects.filter(pk=tenant.pk).delete()
