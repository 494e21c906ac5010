from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User


def users_of_tenant(*, actor: User) -> QuerySet[User]:
    """Every login of the current tenant, for its admin."""
    return User.objects.filter(is_superuser=False).order_by("role", "email")
