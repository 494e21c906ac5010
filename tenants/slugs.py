"""A tenant's address: ``<slug>.<BASE_DOMAIN>``; the slug is also the tenant's PostgreSQL schema name.

Rules: lowercase a–z, digits and single hyphens inside, 3–40 characters, å/ä/ö (and other accents) folded
to plain letters, and not one of the reserved names. A slug must work as a DNS label and as a schema name
(django-tenants quotes schema names, so a hyphen is fine there; ``pg_`` is PostgreSQL's own prefix).

An address that is, or is close to, a municipality's name belongs to that municipality
(``address_owners``): only its own sign-up may take it. Onboarding sends every other address to the board.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.municipalities import all_municipalities

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40

# Hosts the platform itself uses or may use, names that mail clients, browsers and operating systems look up
# by themselves (autodiscover, wpad, …: whoever holds one could capture their traffic), and names that would
# confuse people or mail servers.
RESERVED_SLUGS = frozenset(
    {
        "public", "www", "admin", "api", "iv", "static", "media", "mail",
        "app", "assets", "auth", "autoconfig", "autodiscover", "billing", "blog", "cdn", "cpanel",
        "dashboard", "demo", "dev", "dns", "docs", "email", "exchange", "ftp", "help", "imap", "info",
        "isatap", "kontakt", "ldap", "localhost", "login", "lyncdiscover", "mta-sts", "mx", "news", "ns",
        "ns1", "ns2", "ns3", "ns4", "owa", "plattform", "platform", "pop", "pop3", "postmaster", "proxy",
        "root", "sftp", "signup", "sip", "smtp", "staging", "status", "stripe",
        "support", "swish", "system", "template", "test", "vpn", "webdisk", "webmail", "wpad",
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


# --- Addresses that name a municipality -----------------------------------------------------------------

# Endings that still name the same municipality: "stockholms", "stockholm-stad", "vaxjo-kommun".
_NAME_ENDINGS = ("kommun", "stad", "s")
# A one-letter slip ("stokholm") counts as the name only for names this long: among shorter names one letter
# separates real, different municipalities (Ale and Åre, Nora and Mora, Sala and Malå).
_SLIP_MIN_LENGTH = 6


def address_key(text: str) -> str:
    """What an address or a name is once case, accents (å/ä/ö), spaces and hyphens are set aside:
    ``"Upplands Väsby"``, ``"upplands-vasby"`` and ``"UPPLANDSVÄSBY"`` are all ``"upplandsvasby"``."""
    return re.sub(r"[^a-z0-9]", "", slug_fold(text))


def _key_variants(key: str) -> set[str]:
    variants, todo = {key}, [key]
    while todo:
        current = todo.pop()
        for ending in _NAME_ENDINGS:
            shorter = current.removesuffix(ending)
            if shorter != current and len(shorter) >= 3 and shorter not in variants:
                variants.add(shorter)
                todo.append(shorter)
    return variants


def _one_slip_apart(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one letter added, left out or changed."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@cache
def _codes_by_name_key() -> dict[str, frozenset[str]]:
    # Håbo and Habo fold to the same key: both own "habo".
    codes: dict[str, set[str]] = {}
    for municipality in all_municipalities():
        codes.setdefault(address_key(municipality.name), set()).add(municipality.code)
    return {key: frozenset(value) for key, value in codes.items()}


def address_owners(slug: str) -> frozenset[str]:
    """The codes of the municipalities an address belongs to: those whose name it is, folded (with an
    ending such as "-kommun" allowed), else those whose longer name it misses by one letter. Empty when the
    address names no municipality."""
    names = _codes_by_name_key()
    variants = _key_variants(address_key(slug))
    exact = frozenset(code for variant in variants for code in names.get(variant, ()))
    if exact:
        return exact
    return frozenset(
        code
        for key, codes in names.items()
        if len(key) >= _SLIP_MIN_LENGTH and any(_one_slip_apart(variant, key) for variant in variants)
        for code in codes
    )
