"""Swish QR codes: the payload follows Swish's format, and the PNG decodes back to it."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image

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
    ],
)
def test_the_payload_follows_swishs_format(arguments: dict[str, object], payload: str) -> None:
    assert swish_payload(**arguments) == payload  # type: ignore[arg-type]


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_png_decodes_to_the_payload() -> None:
    payload = swish_payload(number="1231181189", amount_sek=200, message="Julklapp")
    assert decode(swish_qr_png(payload)) == [payload]


def test_the_svg_is_a_titled_image_of_the_same_code() -> None:
    svg = swish_qr_svg("C1231181189;;;6", title="Swish QR code")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, made a line above
    assert root.tag.endswith("svg")
    assert "Swish QR code" in svg.decode()
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
