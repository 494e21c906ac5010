"""The household page shows every member's pathway at a glance, to those who guide them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from matching.services.pathways import pathway_create
from people.choices import HouseholdRole, PersonGroup
from people.models import Household, Person
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_with_a_pathway(in_varnamo: Municipality, coordinator: User) -> Household:
    household = Household.objects.create(name="Familjen Lotsberg")
    child = Person.objects.create(
        household=household,
        household_role=HouseholdRole.CHILD,
        first_name="Samir",
        last_name="Lotsberg",
        birth_year=2015,
        group=PersonGroup.NEWCOMER,
    )
    pathway_create(actor=coordinator, person=child, arena="club_life", goal="Ungdomsfotboll P11")
    return household


def test_a_coordinator_sees_the_childs_pathway_on_the_household_page(
    family_with_a_pathway: Household, client_as: Callable[[Role], Client]
) -> None:
    body = client_as(Role.COORDINATOR).get(f"/staff/households/{family_with_a_pathway.pk}/").content.decode()
    assert "Föreningsliv: Ungdomsfotboll P11" in body
    assert "Samir Lotsberg" in body


def test_an_admin_sees_it_too_but_nothing_leaks_to_a_household_without_pathways(
    family_with_a_pathway: Household, client_as: Callable[[Role], Client]
) -> None:
    other = Household.objects.create(name="Familjen Utan")
    admin = client_as(Role.ADMIN)
    assert (
        "Ungdomsfotboll P11" in admin.get(f"/staff/households/{family_with_a_pathway.pk}/").content.decode()
    )
    assert "Ungdomsfotboll P11" not in admin.get(f"/staff/households/{other.pk}/").content.decode()
