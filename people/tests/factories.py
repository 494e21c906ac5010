"""factory_boy factories for households, people and consents: the register's rows every other app's tests
build on. Use them inside a tenant's schema (the ``in_varnamo`` fixture).

Defaults are an adult newcomer with nothing else known; a test states what it relies on (a district,
languages, a household) or picks a trait.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from people.choices import ConsentPurpose, Gender, PersonGroup
from people.models import Consent, Household, Person


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Familjen {n}")
    district = "Centrum"


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Testsson"
    birth_year = 1990
    gender = Gender.WOMAN
    group = PersonGroup.NEWCOMER


class ConsentFactory(DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.CONTACT
    given = True
