"""Writes to users of the current tenant."""

from __future__ import annotations

from django.db import connection, transaction

from accounts.models import Role, User


class AccountError(Exception):
    """A user could not be created or changed; the message is fit to show."""


@transaction.atomic
def user_create(*, email: str, role: Role, full_name: str = "", password: str | None = None) -> User:
    """Create a user in the current tenant. The board role exists only on the association."""
    tenant = getattr(connection, "tenant", None)
    if role == Role.BOARD and not getattr(tenant, "is_association", False):
        raise AccountError("The board role exists only on the association's host.")
    user = User(email=email.strip().lower(), role=role, full_name=full_name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user
