"""Swish QR codes, made locally with segno.

The content follows Swish's QR encoding specification: ``C<payee>;<amount>;<message>;<lock mask>``. The
amount is in SEK with two decimals and a decimal comma, the message is URL-encoded, and the mask's bits say
what the donor may change (1 payee, 2 amount, 4 message).
"""

from __future__ import annotations

import io
from urllib.parse import quote

import segno

from donations.models import normalize_swish_number

EDITABLE_PAYEE = 1
EDITABLE_AMOUNT = 2
EDITABLE_MESSAGE = 4


def swish_payload(*, number: str, amount_sek: int | None = None, message: str = "") -> str:
    """The text of a Swish QR code. A given amount or message is fixed; a missing one the donor fills in."""
    editable = (0 if amount_sek else EDITABLE_AMOUNT) | (0 if message else EDITABLE_MESSAGE)
    amount = f"{amount_sek},00" if amount_sek else ""
    return f"C{normalize_swish_number(number)};{amount};{quote(message, safe='')};{editable}"


def swish_qr(payload: str) -> segno.QRCode:
    # Medium error correction keeps the code readable from a printed poster with a small smudge.
    return segno.make_qr(payload, error="m")


def swish_qr_svg(payload: str, *, title: str) -> bytes:
    buffer = io.BytesIO()
    swish_qr(payload).save(buffer, kind="svg", scale=8, border=4, title=title, xmldecl=False, svgns=True)
    return buffer.getvalue()


def swish_qr_png(payload: str) -> bytes:
    buffer = io.BytesIO()
    swish_qr(payload).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
