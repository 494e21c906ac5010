"""Self-service onboarding: a municipality signs up, confirms its e-mail, (is approved,) gets its space.

The life of an application (``ApplicationStatus``)::

    unconfirmed ──confirm──▶ queued ──provision──▶ provisioning ──▶ ready
         │                    ▲  ▲                      │
         └──confirm──▶ pending ┘  └──────retry──── failed ◀┘
                          └──reject──▶ rejected

Confirming claims the address and the municipality (a partial unique index decides races). Provisioning
clones the template schema in steps the applicant watches; a failure at any step removes what that attempt
made, so the same application can be provisioned again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from tenants import emails
from tenants.clone import schema_clone
from tenants.connection import tenant_connection
from tenants.models import (
    CLAIMING_STATUSES,
    ApplicationStatus,
    Domain,
    Municipality,
    OnboardingApplication,
    PlatformSettings,
    ProvisioningStep,
    TenantKind,
    TenantStatus,
)
from tenants.municipalities import municipality_by_code
from tenants.selectors import tenant_host
from tenants.services import TenantError, tenant_remove
from tenants.slugs import slug_validate
from tenants.template import TemplateSchemaError, template_schema_name, template_schema_require_current

logger = logging.getLogger(__name__)

TERMS_VERSION = "2026-11"
CONFIRMATION_SALT = "tenants.onboarding.confirm"
# Advisory lock key (PostgreSQL's two-key form, with the application's id): one attempt at a time per sign-up.
_PROVISION_LOCK_CLASS = 72_011


class OnboardingError(TenantError):
    """A sign-up step was refused; the message is fit to show, ``field`` names the form field if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Sign-up ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkOrigin:
    """How the applicant reached the public host: links in later e-mails use the same scheme and port."""

    scheme: str
    port: str


def _claims() -> QuerySet[OnboardingApplication]:
    return OnboardingApplication.objects.filter(status__in=CLAIMING_STATUSES)


def _ensure_available(*, municipality_code: str, slug: str, exclude_pk: int | None = None) -> None:
    municipality = municipality_by_code(municipality_code)
    name = municipality.name if municipality else municipality_code
    claims = _claims() if exclude_pk is None else _claims().exclude(pk=exclude_pk)
    if Municipality.objects.filter(municipality_code=municipality_code).exists():
        raise OnboardingError(
            _("%(municipality)s is already on the platform. Ask its network for a login.")
            % {"municipality": name},
            field="municipality",
        )
    if claims.filter(municipality_code=municipality_code).exists():
        raise OnboardingError(
            _("%(municipality)s has already signed up; that sign-up is being handled.")
            % {"municipality": name},
            field="municipality",
        )
    taken = (
        slug == template_schema_name()
        or Municipality.objects.filter(schema_name=slug).exists()
        or Domain.objects.filter(domain=tenant_host(slug)).exists()
        or claims.filter(slug=slug).exists()
    )
    if taken:
        raise OnboardingError(
            _("The address %(host)s is already taken. Choose another.") % {"host": tenant_host(slug)},
            field="slug",
        )


@transaction.atomic
def application_create(  # noqa: PLR0913 - keyword-only, one per field of the sign-up form
    *,
    municipality_code: str,
    slug: str,
    organisation: str,
    contact_name: str,
    contact_email: str,
    accepted_terms: bool,
    accepted_dpa: bool,
    language: str,
    origin: LinkOrigin,
) -> OnboardingApplication:
    """Record a sign-up and e-mail the confirmation link. Nothing is claimed until it is confirmed."""
    municipality = municipality_by_code(municipality_code)
    if municipality is None:
        raise OnboardingError(_("Choose your municipality from the list."), field="municipality")
    try:
        slug_validate(slug)
    except ValidationError as exc:
        raise OnboardingError(exc.messages[0], field="slug") from exc
    if not accepted_terms:
        raise OnboardingError(_("Accept the terms of use to sign up."), field="accept_terms")
    if not accepted_dpa:
        raise OnboardingError(_("Accept the data processing agreement to sign up."), field="accept_dpa")
    _ensure_available(municipality_code=municipality.code, slug=slug)
    now = timezone.now()
    application = OnboardingApplication(
        municipality_code=municipality.code,
        municipality_name=municipality.name,
        county=municipality.county,
        slug=slug,
        organisation=organisation.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        link_scheme=origin.scheme,
        link_port=origin.port,
        terms_version=TERMS_VERSION,
        terms_accepted_at=now,
        dpa_accepted_at=now,
    )
    try:
        application.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise OnboardingError(messages[0], field=field) from exc
    application.save()
    try:
        emails.confirmation_email_send(application=application, token=application_token(application))
    except OSError as exc:  # SMTP down: say so, and keep nothing (the transaction rolls back)
        logger.exception("Could not send the confirmation e-mail for %s", application)
        raise OnboardingError(
            _("We could not send the confirmation e-mail just now. Please try again in a while.")
        ) from exc
    return application


def application_token(application: OnboardingApplication) -> str:
    """The signed, timestamped token of the confirmation link. Single use: confirming changes the status."""
    return signing.dumps({"application": application.public_id.hex}, salt=CONFIRMATION_SALT)


def application_from_token(token: str) -> OnboardingApplication:
    """The unconfirmed application behind a confirmation link, or OnboardingError saying what is wrong."""
    max_age = settings.SIGNUP_CONFIRMATION_MAX_AGE
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise OnboardingError(
            _("This link has expired: links work for %(hours)d hours. Please sign up again.")
            % {"hours": max_age // 3600}
        ) from exc
    except signing.BadSignature as exc:
        raise OnboardingError(
            _("This link is not valid. Copy the whole link from the e-mail, or sign up again.")
        ) from exc
    application = OnboardingApplication.objects.filter(public_id=data.get("application")).first()
    if application is None:
        raise OnboardingError(_("This sign-up no longer exists. Please sign up again."))
    if application.status != ApplicationStatus.UNCONFIRMED:
        raise OnboardingError(_("This link has already been used."))
    return application


def application_confirm(*, token: str) -> OnboardingApplication:
    """Confirm the e-mail: the application claims its address and municipality, then waits for the board
    or goes straight to provisioning."""
    with transaction.atomic():
        found = application_from_token(token)
        application = OnboardingApplication.objects.select_for_update().get(pk=found.pk)
        if application.status != ApplicationStatus.UNCONFIRMED:  # confirmed meanwhile, in another tab
            raise OnboardingError(_("This link has already been used."))
        _ensure_available(
            municipality_code=application.municipality_code, slug=application.slug, exclude_pk=application.pk
        )
        needs_approval = PlatformSettings.load().approval_required
        application.status = ApplicationStatus.PENDING if needs_approval else ApplicationStatus.QUEUED
        application.confirmed_at = timezone.now()
        try:
            # A savepoint: when another sign-up claimed the same address or municipality a moment ago,
            # the unique index refuses this one and the outer transaction can still report it cleanly.
            with transaction.atomic():
                application.save(update_fields=["status", "confirmed_at"])
        except IntegrityError as exc:
            raise OnboardingError(
                _(
                    "Someone else has just signed up %(municipality)s or taken the address %(host)s. "
                    "If that was not your network, contact us."
                )
                % {"municipality": application.municipality_name, "host": tenant_host(application.slug)}
            ) from exc
        if needs_approval:
            emails.pending_email_send(application=application)
            emails.board_notice_send(application=application, recipients=_board_emails())
        else:
            application_enqueue(application=application)
    return application


def _board_emails() -> list[str]:
    association = Municipality.objects.filter(kind=TenantKind.ASSOCIATION).first()
    if association is None:
        return []
    with association:
        return list(User.objects.filter(role=Role.BOARD, is_active=True).values_list("email", flat=True))


# --- Approval -----------------------------------------------------------------------------------------


def _pending_for_update(application_id: int) -> OnboardingApplication:
    application = OnboardingApplication.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status != ApplicationStatus.PENDING:
        raise OnboardingError(_("This sign-up is no longer waiting for approval."))
    return application


@transaction.atomic
def application_approve(*, application_id: int, actor: User) -> OnboardingApplication:
    application = _pending_for_update(application_id)
    application.status = ApplicationStatus.QUEUED
    application.decided_by = actor.email
    application.decided_at = timezone.now()
    application.full_clean()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    emails.approved_email_send(application=application)
    application_enqueue(application=application)
    return application


@transaction.atomic
def application_reject(*, application_id: int, actor: User, reason: str) -> OnboardingApplication:
    if not reason.strip():
        raise OnboardingError(_("Give a reason: the applicant is told it."), field="reason")
    application = _pending_for_update(application_id)
    application.status = ApplicationStatus.REJECTED
    application.rejection_reason = reason.strip()
    application.decided_by = actor.email
    application.decided_at = timezone.now()
    application.full_clean()
    application.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    emails.rejected_email_send(application=application)
    return application


# --- Provisioning -------------------------------------------------------------------------------------


def application_enqueue(*, application: OnboardingApplication) -> None:
    """Start provisioning in the background once the current transaction commits."""
    from tenants.tasks import provision_application  # the task module imports this one

    application_id = application.pk
    transaction.on_commit(lambda: provision_application.delay(application_id))


@transaction.atomic
def application_retry(*, application_id: int) -> OnboardingApplication:
    """Queue a failed provisioning again (what the attempt made was removed when it failed)."""
    application = OnboardingApplication.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status != ApplicationStatus.FAILED:
        raise OnboardingError(_("Only a sign-up whose setup failed can be tried again."))
    application.status = ApplicationStatus.QUEUED
    application.step = ProvisioningStep.QUEUED
    application.save(update_fields=["status", "step"])
    application_enqueue(application=application)
    return application


def _progress(application: OnboardingApplication, step: ProvisioningStep) -> None:
    # Committed at once (outside any transaction), so the progress page sees each step as it starts.
    application.step = step
    OnboardingApplication.objects.filter(pk=application.pk).update(step=step)


def application_provision(*, application_id: int) -> Municipality:
    """Create the application's space: clone the template, record migrations, first admin, open the host.

    Each step commits, so the progress page can follow; if any step fails, what this attempt made is
    removed (schema, row, host) and the application is marked failed, ready to be provisioned again.
    """
    # Tenants are made from the public schema; the caller may be elsewhere (the board approves on the
    # association's host, and an inline task runs in the caller's schema), so switch and switch back.
    previous_tenant = tenant_connection().tenant
    tenant_connection().set_schema_to_public()
    with connection.cursor() as cursor:
        # Held for the whole attempt: a second worker given the same task waits its turn (and then
        # finds the work done), and a worker that died lets go of it with its connection.
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_PROVISION_LOCK_CLASS, application_id])
    try:
        application = _provisioning_start(application_id)
        tenant: Municipality | None = None
        try:
            with translation.override(application.language):
                template_schema_require_current()
                tenant = _step_database(application)
                _progress(application, ProvisioningStep.MIGRATIONS)
                _step_migrations(tenant)
                _progress(application, ProvisioningStep.ADMIN)
                admin = _step_admin(application, tenant)
                _progress(application, ProvisioningStep.ADDRESS)
                _step_address(application, tenant)
        except Exception as exc:
            _provisioning_failed(application, tenant, exc)
            raise _failure_error(application) from exc
        _ready_email(application, tenant, admin)
        return tenant
    finally:
        tenant_connection().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_PROVISION_LOCK_CLASS, application_id])
        tenant_connection().set_tenant(previous_tenant)


def _provisioning_start(application_id: int) -> OnboardingApplication:
    with transaction.atomic():
        application = OnboardingApplication.objects.select_for_update().filter(pk=application_id).first()
        if application is None:
            raise OnboardingError(_("This sign-up no longer exists."))
        # PROVISIONING here means an earlier attempt died mid-way (the lock above is free): start over.
        startable = {ApplicationStatus.QUEUED, ApplicationStatus.FAILED, ApplicationStatus.PROVISIONING}
        if application.status not in startable:
            raise OnboardingError(
                _("This sign-up cannot be set up now: it is %(status)s.")
                % {"status": application.get_status_display().lower()}
            )
        leftover = application.tenant
        if leftover is not None and leftover.status == TenantStatus.PROVISIONING:
            tenant_remove(tenant=leftover)
        application.tenant = None
        application.status = ApplicationStatus.PROVISIONING
        application.step = ProvisioningStep.DATABASE
        application.provisioning_started_at = timezone.now()
        application.failure_message = ""
        application.failure_detail = ""
        application.save()
    return application


def _step_database(application: OnboardingApplication) -> Municipality:
    """Reserve the tenant row and clone the template into its schema, in one transaction."""
    with transaction.atomic():
        tenant = Municipality(
            schema_name=application.slug,
            name=application.municipality_name,
            county=application.county,
            contact_email=application.contact_email,
            municipality_code=application.municipality_code,
            status=TenantStatus.PROVISIONING,
        )
        tenant.auto_create_schema = False  # the steps below create it, so each shows on the progress page
        try:
            tenant.full_clean()
            tenant.save()
        except (ValidationError, IntegrityError) as exc:
            raise OnboardingError(
                _("The address %(host)s or %(municipality)s was taken by another space meanwhile.")
                % {"host": tenant_host(application.slug), "municipality": application.municipality_name}
            ) from exc
        application.tenant = tenant
        application.save(update_fields=["tenant"])
        schema_clone(source=template_schema_name(), target=tenant.schema_name)
    return tenant


def _step_migrations(tenant: Municipality) -> None:
    """Record every migration as applied: the clone already has their tables (the template was current)."""
    with transaction.atomic():
        call_command(
            "migrate_schemas",
            tenant=True,
            fake=True,
            schema_name=tenant.schema_name,
            interactive=False,
            verbosity=0,
        )
    tenant_connection().set_schema_to_public()


def _step_admin(application: OnboardingApplication, tenant: Municipality) -> User:
    """The first admin: the contact person, with no password until they choose one from the e-mail."""
    with transaction.atomic(), tenant:
        return user_create(
            email=application.contact_email, role=Role.ADMIN, full_name=application.contact_name
        )


def _step_address(application: OnboardingApplication, tenant: Municipality) -> None:
    """Open the host and hand the space over, all at once: the tenant is a trial only when it is ready."""
    with transaction.atomic():
        Domain.objects.create(domain=tenant_host(tenant.schema_name), tenant=tenant, is_primary=True)
        tenant.status = TenantStatus.TRIAL
        tenant.full_clean()
        tenant.save(update_fields=["status"])
        _mark_ready(application)


def _mark_ready(application: OnboardingApplication) -> None:
    application.status = ApplicationStatus.READY
    application.step = ProvisioningStep.READY
    application.ready_at = timezone.now()
    application.save(update_fields=["status", "step", "ready_at"])


def _provisioning_failed(
    application: OnboardingApplication, tenant: Municipality | None, exc: Exception
) -> None:
    """Remove what this attempt made and mark the application failed, with a message for the applicant."""
    tenant_connection().set_schema_to_public()
    if isinstance(exc, OnboardingError | TemplateSchemaError):
        logger.warning("Provisioning %s failed: %s", application, exc)
        with translation.override(application.language):
            message = (
                exc.message
                if isinstance(exc, OnboardingError)
                else _("The platform is being updated. Please try again in a few minutes.")
            )
    else:
        logger.exception("Provisioning %s failed", application)
        with translation.override(application.language):
            message = _(
                "Something went wrong on our side while setting up your space. Nothing was left "
                "half-made: please try again in a while, or contact us."
            )
    with transaction.atomic():
        if tenant is not None:
            current = Municipality.objects.filter(pk=tenant.pk).first()
            # Only what this attempt made, and never a space that became ready.
            if current is not None and current.status == TenantStatus.PROVISIONING:
                tenant_remove(tenant=current)
        OnboardingApplication.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.FAILED,
            tenant=None,
            failure_message=message,
            failure_detail=f"{type(exc).__name__}: {exc}"[:2000],
        )
    application.refresh_from_db()


def _failure_error(application: OnboardingApplication) -> OnboardingError:
    return OnboardingError(application.failure_message)


def _ready_email(application: OnboardingApplication, tenant: Municipality, admin: User) -> None:
    """Tell the contact person, with the link to choose a password. The space is ready either way."""
    try:
        with tenant:
            emails.ready_email_send(application=application, user=admin)
    except OSError:
        logger.exception(
            "Could not send the ready e-mail for %s; the welcome page can send it again", application
        )


@transaction.atomic
def applications_unconfirmed_purge() -> int:
    """Delete sign-ups whose confirmation link has expired: they hold personal data and claim nothing."""
    cutoff = timezone.now() - timedelta(seconds=settings.SIGNUP_CONFIRMATION_MAX_AGE)
    deleted, _by_model = OnboardingApplication.objects.filter(
        status=ApplicationStatus.UNCONFIRMED, created_at__lt=cutoff
    ).delete()
    return deleted
