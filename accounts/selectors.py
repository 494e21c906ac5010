"""Reads of users and invitations of the current tenant."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, User
from accounts.roles import Role
from audit.models import AuditEntry
from audit.selectors import AuditFilters, audit_entries

INVITATION_SALT = "accounts.invitation"


class InvitationInvalid(Exception):
    """An invitation link that cannot be used; the message says why, fit to show."""


def users_for_admin(*, actor: User) -> QuerySet[User]:
    """Every login of the current tenant, with whether two-factor is set up; for its admin only."""
    if not actor.has_role(Role.ADMIN):
        return User.objects.none()
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(is_superuser=False)
        .annotate(has_two_factor=Exists(confirmed))
        .order_by("role", "email")
    )


def get_user_for_actor(*, actor: User, pk: int) -> User:
    """One login of this tenant for its admin; the same 404 for "missing" and "not allowed"."""
    try:
        return users_for_admin(actor=actor).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def invitations_pending(*, actor: User) -> QuerySet[Invitation]:
    if not actor.has_role(Role.ADMIN):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def get_invitation_for_actor(*, actor: User, pk: int) -> Invitation:
    try:
        return invitations_pending(actor=actor).get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404 from exc


def invitation_token(invitation: Invitation) -> str:
    """The signed part of the link: this tenant's schema and the invitation's id, nothing personal."""
    schema = connection.schema_name  # type: ignore[attr-defined]
    return signing.dumps({"s": schema, "i": invitation.pk}, salt=INVITATION_SALT)


def invitation_by_token(*, token: str, for_update: bool = False) -> Invitation:
    """The pending invitation a link points to, in this tenant; InvitationInvalid says why not."""
    invalid = _("This invitation link is not valid. Check that you copied all of it, or ask for a new one.")
    expired = _("This invitation has expired. Ask your administrator to send a new one.")
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid(expired) from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid(invalid) from exc
    # A link made for another network's host is not valid here, even though its signature is.
    schema = connection.schema_name  # type: ignore[attr-defined]
    if not isinstance(data, dict) or data.get("s") != schema or not isinstance(data.get("i"), int):
        raise InvitationInvalid(invalid)
    invitations = Invitation.objects.select_for_update() if for_update else Invitation.objects.all()
    invitation = invitations.filter(pk=int(data["i"])).first()
    if invitation is None:
        raise InvitationInvalid(invalid)
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _("This invitation has already been used. Log in with your e-mail address and password.")
        )
    if invitation.withdrawn_at is not None:
        raise InvitationInvalid(
            _("This invitation has been withdrawn. Ask your administrator if you need a login.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(expired)
    return invitation


def audit_entries_for_admin(*, actor: User, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The audit log's entries matching ``filters``; nothing unless ``actor`` is the tenant's admin."""
    if not actor.has_role(Role.ADMIN):
        return AuditEntry.objects.none()
    return audit_entries(filters=filters)
