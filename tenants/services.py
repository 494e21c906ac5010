"""Writes to tenants. Creating a tenant creates its schema and its host."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, quote_schema_name, schema_exists

from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Domain, Municipality, TenantKind, TenantStatus
from tenants.selectors import tenant_host
from tenants.template import template_schema_problem, template_schema_unapplied


class TenantError(Exception):
    """A tenant could not be created or changed; the message is fit to show."""


def public_tenant_ensure(*, domain: str) -> Municipality:
    """The public schema's own tenant row and its host: the platform's landing page lives there."""
    tenant: Municipality
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


@transaction.atomic
def tenant_suspend(*, slug: str) -> Municipality:
    """Suspend a space: it stays reachable, read-only for its users (billing enforces read-only)."""
    tenant = _get_tenant(slug)
    if tenant.status not in {TenantStatus.TRIAL, TenantStatus.ACTIVE, TenantStatus.PAST_DUE}:
        raise TenantError(
            _("Only a space in use can be suspended; “%(slug)s” is %(status)s.")
            % {"slug": slug, "status": tenant.get_status_display()}
        )
    tenant.status = TenantStatus.SUSPENDED
    tenant.full_clean()
    tenant.save(update_fields=["status"])
    return tenant


@transaction.atomic
def tenant_unsuspend(*, slug: str) -> Municipality:
    tenant = _get_tenant(slug)
    if tenant.status != TenantStatus.SUSPENDED:
        raise TenantError(_("“%(slug)s” is not suspended.") % {"slug": slug})
    tenant.status = TenantStatus.ACTIVE
    tenant.full_clean()
    tenant.save(update_fields=["status"])
    return tenant


@transaction.atomic
def tenant_archive(*, slug: str) -> Municipality:
    """Close a space but keep its data: the host stops answering, the schema and the row stay."""
    tenant = _get_tenant(slug)
    if tenant.status in {TenantStatus.ARCHIVED, TenantStatus.PROVISIONING}:
        raise TenantError(
            _("“%(slug)s” cannot be archived while it is %(status)s.")
            % {"slug": slug, "status": tenant.get_status_display()}
        )
    tenant.status = TenantStatus.ARCHIVED
    tenant.full_clean()
    tenant.save(update_fields=["status"])
    # Without a domain the host routes nowhere (a clear "no space here" page); the data is untouched.
    Domain.objects.filter(tenant=tenant).delete()
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
