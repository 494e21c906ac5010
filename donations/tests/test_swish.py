"""Swish QR codes: the payload follows Swish's format, and the PNG decodes back to it."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from PIL import Image

from donations.models import format_swish_number, validate_swish_number
from donations.swish import swish_payload, swish_qr_png, swish_qr_svg


@pytest.mark.parametrize(
    ("arguments", "payload"),
    [
        ({"number": "123 118 11 89"}, "C1231181189;;;6"),  # donor chooses amount and message
        ({"number": "1231181189", "amount_sek": 200}, "C1231181189;200,00;;4"),
        ({"number": "1231181189", "message": "Julklapp"}, "C1231181189;;Julklapp;2"),
        (
            {"number": "1231181189", "amount_sek": 150, "message": "Läger för 10 barn"},
            "C1231181189;150,00;L%C3%A4ger%20f%C3%B6r%2010%20barn;0",
        ),
        # A fundraising charity's 90-account: seven digits, written "900 1223".
        ({"number": "900 1223"}, "C9001223;;;6"),
        ({"number": "900 12 23", "amount_sek": 100, "message": "Insamling"}, "C9001223;100,00;Insamling;0"),
    ],
)
def test_the_payload_follows_swishs_format(arguments: dict[str, object], payload: str) -> None:
    assert swish_payload(**arguments) == payload  # type: ignore[arg-type]


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_png_decodes_to_the_payload() -> None:
    payload = swish_payload(number="1231181189", amount_sek=200, message="Julklapp")
    assert decode(swish_qr_png(payload)) == [payload]


def test_a_90_number_qr_code_decodes_to_the_charitys_number_amount_and_message() -> None:
    payload = swish_payload(number="900 1223", amount_sek=250, message="Läger för barn")
    (decoded,) = decode(swish_qr_png(payload))
    payee, amount, message, lock = decoded.split(";")
    assert payee == "C9001223"
    assert amount == "250,00"
    assert message == "L%C3%A4ger%20f%C3%B6r%20barn"
    assert lock == "0"


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("1231181189", "123 118 11 89"),
        ("123-118 11 89", "123 118 11 89"),
        ("9001223", "900 1223"),
        ("90 01 22 3", "900 1223"),
    ],
)
def test_123_and_90_numbers_are_accepted_and_written_as_swish_writes_them(number: str, shown: str) -> None:
    validate_swish_number(number)
    assert format_swish_number(number) == shown


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",  # a private person's mobile number
        "123 118 11 8",  # nine digits
        "123 118 11 899",  # eleven digits
        "901 12 23 45",  # ten digits starting 90
        "800 1223",  # seven digits not starting 90
        "900 122",  # six digits
        "",
    ],
)
def test_other_numbers_are_refused_with_a_message_naming_both_kinds(number: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_swish_number(number)
    assert "123" in refused.value.messages[0] and "90" in refused.value.messages[0]


def test_the_svg_is_a_titled_image_of_the_same_code() -> None:
    svg = swish_qr_svg("C1231181189;;;6", title="Swish QR code")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Swish QR code" in svg.decode()
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
