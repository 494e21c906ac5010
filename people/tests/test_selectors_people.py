"""Who sees whom (protected identity, volunteers), search and filters, and fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import RegistrationStatus
from people.models import Person
from people.selectors.people import (
    HouseholdFilter,
    PeopleFilter,
    Probe,
    Purpose,
    age_band_q,
    find_duplicates,
    household_page,
    households_list,
    households_visible_to,
    people_list,
    people_visible_to,
    person_page,
)
from tenants.connection import tenant_connection
from tests.support.people_factories import (
    ActivityFactory,
    AttendanceFactory,
    HouseholdFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.support.queries import real_queries

pytestmark = pytest.mark.django_db


def statements(queries: int) -> int:
    """Statements captured for ``queries`` queries: django-tenants sends ``SET search_path`` before each."""
    return 2 * queries


@pytest.fixture
def people(volunteer: User) -> dict[str, Person]:
    """A led activity with a registered person, a walk-in, a cancelled and a protected one; others outside."""
    led = ActivityFactory.create()
    led.leaders.add(volunteer)
    other = ActivityFactory.create()
    registered = RegistrationFactory.create(activity=led).person
    cancelled = RegistrationFactory.create(activity=led, status=RegistrationStatus.CANCELLED).person
    protected = RegistrationFactory.create(
        activity=led, person=PersonFactory.create(protected_identity=True)
    ).person
    walk_in = AttendanceFactory.create(session=SessionFactory.create(activity=led)).person
    elsewhere = RegistrationFactory.create(activity=other).person
    erased = RegistrationFactory.create(
        activity=led, person=PersonFactory.create(erased_at=timezone.now())
    ).person
    return {
        "registered": registered,
        "cancelled": cancelled,
        "protected": protected,
        "walk_in": walk_in,
        "elsewhere": elsewhere,
        "erased": erased,
        "alone": PersonFactory.create(),
    }


def names(queryset: Any, people: dict[str, Person]) -> set[str]:
    by_pk = {person.pk: name for name, person in people.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


def test_coordinators_and_admins_see_everyone_but_the_anonymised(
    people: dict[str, Person], coordinator: User, admin: User
) -> None:
    expected = set(people) - {"erased"}
    assert names(people_visible_to(coordinator), people) == expected
    assert names(people_visible_to(admin), people) == expected


def test_volunteers_see_only_people_in_their_activities_and_never_protected(
    people: dict[str, Person], volunteer: User
) -> None:
    assert names(people_visible_to(volunteer), people) == {"registered", "walk_in"}


def test_protected_identities_never_leave_in_exports_or_public_pages(
    people: dict[str, Person], coordinator: User
) -> None:
    exported = names(people_visible_to(coordinator, purpose=Purpose.EXPORT), people)
    assert "protected" not in exported
    assert "registered" in exported
    public = names(people_visible_to(AnonymousUser(), purpose=Purpose.PUBLIC), people)
    assert "protected" not in public
    assert "erased" not in public


def test_anonymous_board_and_inactive_users_see_no_one(people: dict[str, Person], coordinator: User) -> None:
    assert not people_visible_to(AnonymousUser()).exists()
    board = User(email="board@x.se", role=Role.BOARD)
    assert not people_visible_to(board).exists()
    coordinator.is_active = False
    assert not people_visible_to(coordinator).exists()


def test_volunteers_see_only_households_with_a_member_they_see(
    people: dict[str, Person], volunteer: User, coordinator: User
) -> None:
    theirs = HouseholdFactory.create()
    people["registered"].household = theirs
    people["registered"].save()
    hidden = HouseholdFactory.create()
    people["protected"].household = hidden
    people["protected"].save()
    # The demo volunteer also leads demo activities: look only at the households this test made.
    mine = {theirs.pk, hidden.pk}
    assert [h for h in households_visible_to(volunteer) if h.pk in mine] == [theirs]
    assert {theirs, hidden} <= set(households_visible_to(coordinator))
    assert hidden not in households_visible_to(coordinator, purpose=Purpose.EXPORT)


def test_age_bands_use_the_birth_date_when_known(in_varnamo: Any) -> None:
    today = dt.date(2025, 6, 15)
    twelve_tomorrow = PersonFactory.create(birth_year=2012, birth_date=dt.date(2012, 6, 16))
    thirteen_today = PersonFactory.create(birth_year=2012, birth_date=dt.date(2012, 6, 15))
    year_only = PersonFactory.create(birth_year=2012)
    unknown = PersonFactory.create(birth_year=None)
    people = Person.objects.filter(pk__in=[twelve_tomorrow.pk, thirteen_today.pk, year_only.pk, unknown.pk])
    assert set(people.filter(age_band_q("7-12", today))) == {twelve_tomorrow}
    assert set(people.filter(age_band_q("13-19", today))) == {thirteen_today, year_only}
    assert set(people.filter(age_band_q("unknown", today))) == {unknown}
    assert people.filter(age_band_q("nonsense", today)).count() == 4


def test_search_by_name_start_phone_in_any_form_and_email(coordinator: User) -> None:
    amal = PersonFactory.create(
        first_name="Amal", last_name="Haddad", phone="+46701234567", email="amal@example.se"
    )
    PersonFactory.create(first_name="Karin", last_name="Andersson", phone="+46709999999")

    def search(text: str) -> list[Person]:
        return list(people_list(user=coordinator, filters=PeopleFilter(q=text)).filter(pk__gte=amal.pk))

    assert search("ama had") == [amal]
    assert search("HADD") == [amal]
    assert search("070-123 45") == [amal]
    assert search("+46 70 123") == [amal]
    assert search("amal@exa") == [amal]
    assert search("amal karin") == []


def test_filters_and_sorting(coordinator: User) -> None:
    household = HouseholdFactory.create()
    young = PersonFactory.create(
        birth_year=2015, group="newcomer", gender="woman", district="Norr", household=household
    )
    old = PersonFactory.create(
        birth_year=1950, group="established", gender="man", district="Söder", is_volunteer=True
    )
    ours = Person.objects.filter(pk__in=[young.pk, old.pk])

    def listed(**filters: Any) -> list[Person]:
        return [p for p in people_list(user=coordinator, filters=PeopleFilter(**filters)) if p in ours]

    assert listed(group="established") == [old]
    assert listed(gender="woman") == [young]
    assert listed(district="Norr") == [young]
    assert listed(volunteer="yes") == [old]
    assert listed(volunteer="no") == [young]
    assert listed(in_household="yes") == [young]
    assert listed(in_household="no") == [old]
    assert listed(household_id=household.pk) == [young]
    assert listed(age_band="65+") == [old]
    assert listed(sort="age") == [young, old]
    assert listed(sort="-age") == [old, young]


def test_one_query_finds_duplicates_for_a_whole_family(
    coordinator: User, django_assert_num_queries: Any
) -> None:
    by_name = PersonFactory.create(first_name="Amal", last_name="Haddad", birth_year=1984)
    by_phone = PersonFactory.create(phone="+46701234567")
    probes = [
        Probe("Amal", "Haddad", 1984),
        Probe("Samir", phone="070-123 45 67"),
        Probe("Lina", email="x@y.se"),
    ]
    with real_queries(1):
        matches = find_duplicates(user=coordinator, probes=probes)
    assert {index: [m.person for m in found] for index, found in matches.items()} == {
        0: [by_name],
        1: [by_phone],
    }


def _household_with(size: int) -> int:
    household = HouseholdFactory.create()
    activity = ActivityFactory.create()
    for _ in range(size):
        person = PersonFactory.create(household=household)
        RegistrationFactory.create(activity=activity, person=person)
        AttendanceFactory.create(session=SessionFactory.create(activity=activity), person=person)
    return household.pk


def _render_household(pk: int, user: User) -> int:
    household = household_page(user=user, pk=pk)
    total = 0
    for member in household.visible_members:  # type: ignore[attr-defined]
        total += len(member.open_registrations) + len(member.recent_attendances) + member.present_count
        total += len(member.consents.all())
    return total


@pytest.mark.parametrize("size", [3, 30])
def test_household_page_reads_in_five_queries_whatever_its_size(
    coordinator: User, size: int, django_assert_num_queries: Any
) -> None:
    pk = _household_with(size)
    with real_queries(5):
        assert _render_household(pk, coordinator) == size * 3


@pytest.mark.parametrize("size", [3, 30])
def test_person_page_reads_in_four_queries(
    coordinator: User, size: int, django_assert_num_queries: Any
) -> None:
    person = PersonFactory.create()
    for _ in range(size):
        AttendanceFactory.create(person=person)
    with real_queries(4):
        page = person_page(user=coordinator, pk=person.pk)
        assert page.present_count == size  # type: ignore[attr-defined]
        assert len(page.recent_attendances) == min(size, 5)  # type: ignore[attr-defined]
        assert page.consents.all() is not None


def test_a_volunteer_sees_only_their_activities_on_a_household_page(volunteer: User) -> None:
    household = HouseholdFactory.create()
    led, other = ActivityFactory.create(), ActivityFactory.create()
    led.leaders.add(volunteer)
    child = PersonFactory.create(household=household)
    RegistrationFactory.create(activity=led, person=child)
    RegistrationFactory.create(activity=other, person=child)
    AttendanceFactory.create(session=SessionFactory.create(activity=other), person=child)
    protected_parent = PersonFactory.create(household=household, protected_identity=True)
    RegistrationFactory.create(activity=led, person=protected_parent)
    page = household_page(user=volunteer, pk=household.pk)
    [member] = page.visible_members  # type: ignore[attr-defined]
    assert member == child
    assert [r.activity for r in member.open_registrations] == [led]
    assert member.present_count == 0
    assert member.recent_attendances == []


def test_household_list_counts_only_visible_members(coordinator: User) -> None:
    household = HouseholdFactory.create(name="Zzz-family")
    PersonFactory.create(household=household)
    PersonFactory.create(household=household, protected_identity=True)
    staff = households_list(user=coordinator, filters=HouseholdFilter(q="Zzz"))
    export = households_list(user=coordinator, filters=HouseholdFilter(q="Zzz"), purpose=Purpose.EXPORT)
    assert [h.member_count for h in staff] == [2]  # type: ignore[attr-defined]
    assert [h.member_count for h in export] == [1]  # type: ignore[attr-defined]
    assert tenant_connection().schema_name == "varnamo"
