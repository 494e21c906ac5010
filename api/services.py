"""Making and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import ApiToken

TOKEN_MARK = "ivp_"  # noqa: S105 - the public prefix that marks our tokens, not a secret
PREFIX_LENGTH = 12
# Writing last_used_at on every request would turn every read into a write; once a minute is enough to
# tell the user whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 10


class ApiTokenError(Exception):
    """A token could not be made or revoked; the message is fit to show."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str


def token_digest(plaintext: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is as good as a slow hash here.
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> NewToken:
    name = name.strip()
    if not name:
        raise ApiTokenError(_("Give the token a name, e.g. the system that will use it."))
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApiTokenError(
            _("You already have %(count)d active tokens. Revoke one first.") % {"count": MAX_ACTIVE_TOKENS}
        )
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    plaintext = f"{TOKEN_MARK}{prefix}{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name, prefix=prefix, digest=token_digest(plaintext))
    token.full_clean()
    token.save()
    return NewToken(token=token, plaintext=plaintext)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise ApiTokenError(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token matching ``plaintext`` in the current tenant, or None."""
    if not plaintext.startswith(TOKEN_MARK):
        return None
    prefix = plaintext[len(TOKEN_MARK) : len(TOKEN_MARK) + PREFIX_LENGTH]
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(plaintext)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
