"""Phone numbers and e-mail addresses in one canonical form, so duplicates and searches find each other.

Swedish numbers are written many ways: ``070-123 45 67``, ``+46 70 123 45 67``, ``0046701234567``. They are
stored as ``+46701234567`` (E.164 without spaces); a foreign number keeps its country code. What is not a
phone number at all is kept as typed, so nothing the coordinator wrote is lost.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-./()]")
_SWEDISH_TRUNK = re.compile(r"^\+46\(?0\)?")


def normalise_phone(value: str) -> str:
    raw = value.strip()
    if not raw:
        return ""
    # "+46 (0)70 …" is a common mix of the international and the national form: drop the trunk zero.
    raw = _SWEDISH_TRUNK.sub("+46", raw.replace(" ", ""))
    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("+"):
        rest = digits[1:]
        international = True
    elif digits.startswith("00"):
        rest = digits[2:]
        international = True
    else:
        rest = digits
        international = False
    if not rest.isdigit():
        return value.strip()
    if international:
        return "+" + rest
    if rest.startswith("0"):
        return "+46" + rest[1:]
    # No trunk zero and no country code: not a full Swedish number; keep the digits.
    return rest


def format_phone(value: str) -> str:
    """A stored Swedish mobile or landline number written the Swedish way for reading: 070-123 45 67."""
    if not value.startswith("+46") or not value[1:].isdigit():
        return value
    national = "0" + value[3:]
    if len(national) == 10 and national.startswith("07"):
        return f"{national[:3]}-{national[3:6]} {national[6:8]} {national[8:]}"
    return national


def normalise_email(value: str) -> str:
    # Mailboxes are case-insensitive in practice; one form lets the e-mail index answer duplicate checks.
    return value.strip().lower()
