"""Writes to users, invitations, two-factor devices and login records of the current tenant."""

from __future__ import annotations

import logging
from base64 import b32decode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from accounts.roles import TOTP_REQUIRED_ROLES, Role
from accounts.selectors import invitation_by_token, invitation_token
from audit.models import AuditAction
from audit.services import audit_record

logger = logging.getLogger(__name__)


class AccountError(Exception):
    """A user could not be created or changed; the message is fit to show."""


def _board_allowed_here() -> bool:
    return bool(getattr(getattr(connection, "tenant", None), "is_association", False))


@transaction.atomic
def user_create(*, email: str, role: Role, full_name: str = "", password: str | None = None) -> User:
    """Create a user in the current tenant. The board role exists only on the association."""
    if role == Role.BOARD and not _board_allowed_here():
        raise AccountError(_("The board role exists only on the association's host."))
    user = User(email=email.strip().lower(), role=role, full_name=full_name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


# --- Invitations ----------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, actor: User, email: str, role: Role, full_name: str = "", link_for: Callable[[str], str]
) -> Invitation:
    """Invite ``email`` to this tenant with ``role`` and e-mail the link (``link_for(token)`` makes it
    absolute on this tenant's host). A new invitation replaces an earlier pending one for the address.
    If the e-mail cannot be sent, nothing is kept."""
    email = email.strip().lower()
    if role == Role.BOARD and not _board_allowed_here():
        raise AccountError(_("The board role exists only on the association's host."))
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("Someone with this e-mail address already has a login here."))
    now = timezone.now()
    Invitation.objects.filter(email__iexact=email, accepted_at=None, withdrawn_at=None).update(
        withdrawn_at=now
    )
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        role=role,
        invited_by=actor,
        created_at=now,
        expires_at=now + settings.INVITATION_MAX_AGE,
    )
    invitation.full_clean()
    invitation.save()
    tenant = getattr(connection, "tenant", None)
    context = {
        "invitation": invitation,
        "network": getattr(tenant, "name", ""),
        "role": Role(role).label,
        "link": link_for(invitation_token(invitation)),
        "inviter": actor.full_name or actor.email,
        "expires": invitation.expires_at,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj_type="accounts.invitation",
        obj_id=invitation.pk,
        summary=gettext_noop("Invitation sent"),
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: Invitation) -> Invitation:
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type="accounts.invitation",
        obj_id=invitation.pk,
        summary=gettext_noop("Invitation withdrawn"),
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Create the invited login with the chosen password; the link cannot be used again.

    Raises InvitationInvalid for a bad link, ValidationError for a password the validators refuse and
    AccountError when the address got a login meanwhile.
    """
    invitation = invitation_by_token(token=token, for_update=True)
    candidate = User(email=invitation.email, full_name=full_name, role=invitation.role)
    validate_password(password, user=candidate)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise AccountError(_("Someone with this e-mail address already has a login here."))
    user = user_create(
        email=invitation.email,
        role=Role(invitation.role),
        full_name=full_name.strip() or invitation.full_name,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        obj_type="accounts.user",
        obj_id=user.pk,
        summary=gettext_noop("Login created from an invitation"),
    )
    return user


# --- Users, by the tenant's admin -----------------------------------------------------------------------


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """The user can no longer log in; a signed-in session stops working at its next request."""
    if user.pk == actor.pk:
        raise AccountError(_("You cannot deactivate your own login."))
    if user.role == Role.ADMIN:
        other_admins = User.objects.filter(role=Role.ADMIN, is_active=True, is_superuser=False)
        if not other_admins.exclude(pk=user.pk).exists():
            raise AccountError(_("The network needs at least one active administrator."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type="accounts.user",
        obj_id=user.pk,
        summary=gettext_noop("Login deactivated"),
    )
    return user


@transaction.atomic
def user_activate(*, actor: User, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type="accounts.user",
        obj_id=user.pk,
        summary=gettext_noop("Login activated"),
    )
    return user


@transaction.atomic
def user_two_factor_reset(*, actor: User, user: User) -> int:
    """Remove someone's authenticator (a lost phone). Required roles set up a new one at their next login."""
    if user.pk == actor.pk:
        raise AccountError(_("Change your own two-factor authentication on your security page."))
    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj_type="accounts.user",
        obj_id=user.pk,
        summary=gettext_noop("Two-factor authentication reset"),
    )
    return int(removed)  # django-otp has no types


# --- Two-factor authentication (TOTP) -------------------------------------------------------------------


def demo_totp_key() -> str:
    """The demo devices' key in django-otp's hex form."""
    return b32decode(settings.DEMO_TOTP_SECRET).hex()


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the unconfirmed one already shown, or a new random key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice(user=user, name="Authenticator", confirmed=False)
        device.full_clean()
        device.save()
    return device


@dataclass(frozen=True)
class TotpCheck:
    """The outcome of a code: the device that accepted it, or why not."""

    device: TOTPDevice | None
    throttled_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _check(device: TOTPDevice, token: str) -> TotpCheck:
    # A wrong code must be remembered (django-otp's throttling saves a failure count), so a wrong code is a
    # result, not an exception that would roll that count back.
    allowed, info = device.verify_is_allowed()
    if not allowed:
        return TotpCheck(None, (info or {}).get("locked_until"))
    if not settings.DEMO_SEED_ALLOWED and device.key == demo_totp_key():
        logger.warning("A two-factor code from a demo device was refused in production.")
        return TotpCheck(None)
    return TotpCheck(device if device.verify_token(token.strip().replace(" ", "")) else None)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str, session_verified: bool) -> TotpCheck:
    """Confirm the authenticator being set up with its first code; it replaces any earlier one.

    Someone who has an authenticator must have passed it in this session first, so a stolen password
    alone cannot swap the authenticator for the thief's own.
    """
    has_confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_confirmed and not session_verified:
        raise AccountError(_("Enter a code from your current authenticator before setting up a new one."))
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise AccountError(_("The set-up has expired. Start again."))
    check = _check(device, token)
    if check.device is None:
        return check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(
        actor=user,
        action=AuditAction.CHANGE,
        obj_type="accounts.user",
        obj_id=user.pk,
        summary=gettext_noop("Two-factor authentication set up"),
    )
    return check


@transaction.atomic
def totp_verify(*, user: User, token: str) -> TotpCheck:
    """Check a code against the user's authenticator (throttled after failures, each code works once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-id").first()
    if device is None:
        return TotpCheck(None)
    return _check(device, token)


@transaction.atomic
def totp_device_remove(*, user: User, token: str) -> TotpCheck:
    """Turn two-factor off, with a current code; only for roles that may go without it."""
    if user.role in TOTP_REQUIRED_ROLES:
        raise AccountError(_("Your role requires two-factor authentication."))
    check = totp_verify(user=user, token=token)
    if check.ok:
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=user,
            action=AuditAction.CHANGE,
            obj_type="accounts.user",
            obj_id=user.pk,
            summary=gettext_noop("Two-factor authentication turned off"),
        )
    return check


# --- Login records ---------------------------------------------------------------------------------------


@transaction.atomic
def login_records_purge(*, older_than: timedelta) -> dict[str, int]:
    """Delete this tenant's login records (addresses, browsers) older than ``older_than`` and its expired
    sessions: they are personal data kept only as long as they help against break-ins."""
    cutoff = timezone.now() - older_than
    return {
        "attempts": AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "failures": AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "logins": AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
        "sessions": Session.objects.filter(expire_date__lt=timezone.now()).delete()[0],
    }
