"""The partner form validates as ModelForms do, on the values the service will store."""

from __future__ import annotations

from typing import Any

import pytest

from partners.forms import PartnerForm
from partners.tests.factories import PartnerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.own_world]


def partner_data(**data: str) -> dict[str, Any]:
    return {"name": "Vårt IF", "kind": "club", "is_active": "on"} | data


def test_the_models_rules_check_the_phone_number_as_it_will_be_stored(in_varnamo: Any) -> None:
    # 29 characters as typed, within the field's 30; stored with +46 instead of 0 it has 31.
    form = PartnerForm(partner_data(phone="0" + "7" * 28))
    assert not form.is_valid()
    assert form.errors["phone"] == ["Säkerställ att detta värde har som mest 30 tecken (den har 31)."]


def test_a_valid_form_holds_the_values_as_they_will_be_stored(in_varnamo: Any) -> None:
    form = PartnerForm(partner_data(phone="0370-123 45", email="Info@VartIF.se", website="vartif.se"))
    assert form.is_valid(), form.errors
    given = form.partner_input()
    assert (given.phone, given.email, given.website) == ("+4637012345", "info@vartif.se", "https://vartif.se")


def test_the_loaded_partner_is_untouched_by_validation(in_varnamo: Any) -> None:
    partner = PartnerFactory(name="Vårt IF")
    for phone in ("", "0" + "7" * 28):  # valid, then refused
        form = PartnerForm(partner_data(name="Ert IF", phone=phone), instance=partner)
        form.is_valid()
        assert partner.name == "Vårt IF"
