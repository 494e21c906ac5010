"""Person and household forms validate as ModelForms do, on the values the services will store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from people.forms.people import FamilyForm, HouseholdForm, PersonForm
from people.models import Person
from people.services.people import PeopleError, PersonInput, person_create
from people.tests.factories import HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.own_world]

# 29 characters as typed, within the phone field's 30; stored with +46 instead of 0 it has 31.
TOO_LONG_ONCE_STORED = "0" + "7" * 28
TOO_LONG_MESSAGE = "Säkerställ att detta värde har som mest 30 tecken (den har 31)."


def person_data(**data: Any) -> dict[str, Any]:
    return {
        "first_name": "Amal",
        "group": "newcomer",
        "gender": "not_stated",
        "household_role": "adult",
    } | data


def test_the_models_rules_check_the_phone_number_as_it_will_be_stored(in_varnamo: Any) -> None:
    form = PersonForm(person_data(phone=TOO_LONG_ONCE_STORED))
    assert not form.is_valid()
    assert form.errors["phone"] == [TOO_LONG_MESSAGE]


def test_the_service_refuses_the_same_phone_number_with_the_same_message(coordinator: Any) -> None:
    with pytest.raises(PeopleError) as refused:
        person_create(actor=coordinator, data=PersonInput("Amal", phone=TOO_LONG_ONCE_STORED))
    assert (refused.value.field, refused.value.message) == ("phone", TOO_LONG_MESSAGE)


def test_the_services_own_rules_show_at_their_field_in_swedish(in_varnamo: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = PersonForm(person_data(birth_date=tomorrow.isoformat()))
    assert not form.is_valid()
    assert form.errors["birth_date"] == ["Födelsedatumet kan inte ligga i framtiden."]


def test_a_valid_form_holds_the_values_as_they_will_be_stored(in_varnamo: Any) -> None:
    form = PersonForm(person_data(first_name=" Amal ", birth_date="1984-03-14", phone="070-123 45 67"))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["birth_year"], form.cleaned_data["phone"]) == (1984, "+46701234567")
    assert form.person_input().birth_year == 1984


def test_the_loaded_person_is_untouched_by_validation(in_varnamo: Any) -> None:
    person = PersonFactory(first_name="Amal", last_name="Zeta", birth_year=1984)
    for data in (
        person_data(first_name="Nadia"),
        person_data(first_name="Nadia", phone=TOO_LONG_ONCE_STORED),
    ):
        form = PersonForm(data, instance=person)
        form.is_valid()
        assert form.instance is not person
        assert person.first_name == "Amal"
    assert Person.objects.get(pk=person.pk).first_name == "Amal"


def test_household_forms_leave_the_loaded_household_alone(in_varnamo: Any) -> None:
    household = HouseholdFactory(name="Zeta")
    form = HouseholdForm({"name": "Zeta-Haddad", "district": "x" * 81}, instance=household)
    assert not form.is_valid()
    assert form.errors["district"] == ["Säkerställ att detta värde har som mest 80 tecken (den har 81)."]
    assert household.name == "Zeta"
    assert FamilyForm({"name": "Zeta", "group": "newcomer"}).is_valid()
