"""A tenant's address: ``<slug>.<BASE_DOMAIN>``; the slug is also the tenant's PostgreSQL schema name.

Rules: lowercase a–z, digits and single hyphens inside, 3–40 characters, å/ä/ö (and other accents) folded
to plain letters, and not one of the reserved names. A slug must work as a DNS label and as a schema name
(django-tenants quotes schema names, so a hyphen is fine there; ``pg_`` is PostgreSQL's own prefix).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40

# Hosts the platform itself uses or may use, and names that would confuse people or mail servers.
RESERVED_SLUGS = frozenset(
    {
        "public", "www", "admin", "api", "iv", "static", "media", "mail",
        "app", "assets", "auth", "billing", "blog", "cdn", "dashboard", "demo", "dev", "docs", "email",
        "ftp", "help", "imap", "info", "kontakt", "localhost", "login", "mx", "news", "ns1", "ns2",
        "plattform", "platform", "pop", "pop3", "postmaster", "root", "signup", "smtp", "staging",
        "status", "stripe", "support", "swish", "system", "template", "test", "webmail",
    }
)  # fmt: skip

_SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_fold(text: str) -> str:
    """``"Upplands Väsby"`` → ``"upplands-vasby"``: lowercase, accents folded, spaces to hyphens.

    Only folds; what is left may still break the rules (``slug_validate`` says which).
    """
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", "-", plain)


def slug_validate(slug: str) -> None:
    """Raise ValidationError with a message fit to show if ``slug`` breaks a rule."""
    if slug.startswith("pg_"):
        raise ValidationError(
            _("Addresses starting with “pg_” are reserved by the database. Choose another."),
            code="reserved",
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for the platform itself. Choose another address.") % {"slug": slug},
            code="reserved",
        )
    if not SLUG_MIN_LENGTH <= len(slug) <= SLUG_MAX_LENGTH:
        raise ValidationError(
            _("The address must be %(min)d to %(max)d characters long.")
            % {"min": SLUG_MIN_LENGTH, "max": SLUG_MAX_LENGTH},
            code="length",
        )
    if not _SLUG_SHAPE.match(slug):
        raise ValidationError(
            _(
                "Use only the letters a–z, digits and hyphens, with no hyphen first, last or twice "
                "in a row (å, ä and ö become a, a and o)."
            ),
            code="invalid",
        )
