"""Stored text holds no control characters, whichever way it comes in (core.text)."""

from __future__ import annotations

import pytest

from core.text import clean_text
from partners.models import Partner
from people.models import Household


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        ("Probe\u000bControl", False, "Probe Control"),
        ("Syträff\r\nmed fika", True, "Syträff\nmed fika"),
        ("Syträff\r\nmed fika", False, "Syträff med fika"),
        ("Ahmad\u202egnp.exe", False, "Ahmadgnp.exe"),
        ("NUL\x00byte", False, "NULbyte"),
        ("Kafé\u0301", False, "Kafé\u0301"),  # a second accent on an é stays: only the form is normalised
        ("Ka\u0308ll", False, "Käll"),
        ("سلام 👋", False, "سلام 👋"),
        ("tab\there", True, "tab\there"),
    ],
)
def test_clean_text(value: str, multiline: bool, expected: str) -> None:
    assert clean_text(value, multiline=multiline) == expected


def test_every_save_stores_clean_text(in_varnamo: object) -> None:
    partner = Partner.objects.create(name="Probe\u000bControl\x07", description="Rad ett\r\nRad två\x1b")
    partner.refresh_from_db()
    assert partner.name == "Probe Control"
    assert partner.description == "Rad ett\nRad två"
    household = Household.objects.create(name="Familjen\u202eAli", notes="ok")
    household.refresh_from_db()
    assert household.name == "FamiljenAli"
