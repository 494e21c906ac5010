"""Phone numbers and e-mail addresses in one canonical form."""

from __future__ import annotations

import pytest

from core.contact import format_phone, normalise_email, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "070-123 45 67",
        "0701234567",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70-123 45 67",
        "+46 (0)70 123 45 67",
    ],
)
def test_swedish_mobile_numbers_in_every_form_become_one(typed: str) -> None:
    assert normalise_phone(typed) == "+46701234567"


def test_landline_and_foreign_numbers() -> None:
    assert normalise_phone("0370-123 45") == "+4637012345"
    assert normalise_phone("+49 30 1234567") == "+49301234567"
    assert normalise_phone("0049 30 1234567") == "+49301234567"


def test_text_that_is_not_a_number_is_kept_as_typed() -> None:
    assert normalise_phone("  ring mamma  ") == "ring mamma"
    assert normalise_phone("") == ""


def test_stored_numbers_are_written_the_swedish_way() -> None:
    assert format_phone("+46701234567") == "070-123 45 67"
    assert format_phone("+4637012345") == "037012345"
    assert format_phone("+49301234567") == "+49301234567"


def test_email_is_trimmed_and_lowercased() -> None:
    assert normalise_email("  Amal.Haddad@Example.SE ") == "amal.haddad@example.se"
