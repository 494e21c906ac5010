from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from api.models import ApiToken


def tokens_of_user(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("revoked_at", "-created_at")
