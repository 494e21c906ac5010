"""People services: canonical values, duplicates, a guardian's consent, a family registered all at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from accounts.models import User
from people.models import Consent, Household, Person
from people.services.people import (
    ConsentInput,
    DuplicatePeopleError,
    HouseholdInput,
    MemberInput,
    PeopleError,
    PersonInput,
    consent_record,
    family_register,
    household_member_add,
    household_member_remove,
    person_create,
    person_update,
)
from tests.support.people_factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english() -> None:
    translation.activate("en")


def test_birth_year_follows_the_birth_date_and_contacts_are_canonical(coordinator: User) -> None:
    person = person_create(
        actor=coordinator,
        data=PersonInput(
            first_name=" Amal ",
            last_name="Haddad",
            birth_date=dt.date(1984, 3, 14),
            phone="070-123 45 67",
            email="Amal@Example.SE",
            languages=("ar", "en", "ar"),
            interests=("matlagning", " ", "fotboll"),
        ),
    )
    person.refresh_from_db()
    assert (person.first_name, person.birth_year) == ("Amal", 1984)
    assert person.phone == "+46701234567"
    assert person.email == "amal@example.se"
    assert person.languages == ["ar", "en"]
    assert person.interests == ["matlagning", "fotboll"]
    assert person.created_by == coordinator


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PersonInput("Amal", birth_date=dt.date(1984, 3, 14), birth_year=1985), "birth_year"),
        (PersonInput("Amal", birth_date=timezone.localdate() + dt.timedelta(days=1)), "birth_date"),
        (PersonInput("Amal", birth_year=1850), "birth_year"),
        (PersonInput("Amal", birth_year=1990, arrival_year=1985), "arrival_year"),  # arrival before birth
        (PersonInput("Amal", arrival_year=THIS_YEAR + 1), "arrival_year"),
        (PersonInput("Amal", languages=("xx",)), "languages"),
        (PersonInput("", birth_year=1990), "first_name"),
        (PersonInput("Amal", group="refugee"), "group"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    coordinator: User, data: PersonInput, field: str
) -> None:
    before = Person.objects.count()
    with pytest.raises(PeopleError) as refused:
        person_create(actor=coordinator, data=data)
    assert refused.value.field == field
    assert Person.objects.count() == before


def test_same_name_and_birth_year_is_a_possible_duplicate(coordinator: User) -> None:
    existing = PersonFactory.create(first_name="Amal", last_name="Haddad", birth_year=1984)
    with pytest.raises(DuplicatePeopleError) as warned:
        person_create(actor=coordinator, data=PersonInput("amal", last_name="HADDAD", birth_year=1984))
    [match] = warned.value.matches[0]
    assert match.person == existing
    assert match.reasons == ["same name and birth year"]


def test_same_phone_in_another_form_or_same_email_in_other_case_is_a_possible_duplicate(
    coordinator: User,
) -> None:
    by_phone = PersonFactory.create(phone="+46701234567")
    by_email = PersonFactory.create(email="amal@example.se")
    with pytest.raises(DuplicatePeopleError) as warned:
        person_create(
            actor=coordinator, data=PersonInput("Someone", phone="0046 70-123 45 67", email="AMAL@example.SE")
        )
    reasons = {match.person: match.reasons for match in warned.value.matches[0]}
    assert reasons == {by_phone: ["same phone number"], by_email: ["same e-mail address"]}


def test_a_confirmed_duplicate_is_saved(coordinator: User) -> None:
    PersonFactory.create(first_name="Amal", last_name="Haddad", birth_year=1984)
    person = person_create(
        actor=coordinator,
        data=PersonInput("Amal", last_name="Haddad", birth_year=1984),
        allow_duplicates=True,
    )
    assert Person.objects.filter(first_name="Amal", last_name="Haddad").count() == 2
    assert person.pk


def test_a_volunteer_is_not_warned_about_people_they_cannot_see(volunteer: User) -> None:
    PersonFactory.create(first_name="Hidden", last_name="Person", birth_year=1990, protected_identity=True)
    person = person_create(actor=volunteer, data=PersonInput("Hidden", last_name="Person", birth_year=1990))
    assert person.pk  # the protected person's existence is not revealed


def test_consent_is_recorded_per_purpose_with_who_and_when(coordinator: User) -> None:
    person = person_create(
        actor=coordinator,
        data=PersonInput("Amal", birth_year=1984),
        consents=ConsentInput({"contact": True, "statistics": True, "photos": False}),
    )
    consents = {c.purpose: c for c in Consent.objects.filter(person=person)}
    assert set(consents) == {"contact", "statistics"}
    assert all(
        c.given and c.recorded_by == coordinator and not c.given_by_guardian for c in consents.values()
    )
    assert timezone.localtime(consents["contact"].recorded_at).date() == timezone.localdate()


def test_a_child_under_13_needs_a_guardian_for_consent(coordinator: User) -> None:
    with pytest.raises(PeopleError) as refused:
        person_create(
            actor=coordinator,
            data=PersonInput("Yousef", birth_year=THIS_YEAR - 8),
            consents=ConsentInput({"photos": True}),
        )
    assert refused.value.field == "guardian_name"
    assert "under 13" in refused.value.message
    assert not Person.objects.filter(first_name="Yousef").exists()


def test_a_guardians_consent_is_recorded_with_their_name(coordinator: User) -> None:
    child = person_create(
        actor=coordinator,
        data=PersonInput("Yousef", birth_year=THIS_YEAR - 8),
        consents=ConsentInput({"photos": True}, guardian_name="Amal Haddad"),
    )
    consent = Consent.objects.get(person=child)
    assert (consent.given, consent.given_by_guardian, consent.guardian_name) == (True, True, "Amal Haddad")


def test_a_child_of_unknown_age_needs_a_guardian_but_a_teenager_does_not(coordinator: User) -> None:
    with pytest.raises(PeopleError):
        person_create(
            actor=coordinator,
            data=PersonInput("Liten", household_role="child"),
            consents=ConsentInput({"contact": True}),
        )
    teenager = person_create(
        actor=coordinator,
        data=PersonInput("Noor", birth_date=timezone.localdate().replace(year=THIS_YEAR - 14)),
        consents=ConsentInput({"contact": True}),
    )
    assert Consent.objects.get(person=teenager).given_by_guardian is False


def test_only_changed_decisions_add_rows_and_a_withdrawal_is_kept(coordinator: User) -> None:
    person = person_create(
        actor=coordinator, data=PersonInput("Amal", birth_year=1984), consents=ConsentInput({"photos": True})
    )
    person_update(
        actor=coordinator,
        person=person,
        data=PersonInput("Amal", birth_year=1984),
        consents=ConsentInput({"photos": True, "contact": False}),
    )
    assert Consent.objects.filter(person=person).count() == 1
    consent_record(actor=coordinator, person=person, purpose="photos", given=False)
    history = list(Consent.objects.filter(person=person).values_list("purpose", "given"))
    assert history == [("photos", False), ("photos", True)]  # newest first: the withdrawal is in force


def test_household_members_join_and_leave(coordinator: User) -> None:
    household = HouseholdFactory.create()
    person = PersonFactory.create()
    household_member_add(actor=coordinator, household=household, person=person)
    assert list(household.members.all()) == [person]
    household_member_remove(actor=coordinator, person=person)
    assert household.members.count() == 0


FAMILY = [
    MemberInput(PersonInput("Amal", birth_year=1984, gender="woman", phone="070-555 12 12")),
    MemberInput(PersonInput("Samir", birth_year=1980, gender="man")),
    MemberInput(
        PersonInput("Yousef", birth_year=THIS_YEAR - 11, household_role="child"),
        ConsentInput({"photos": True}, "Amal Haddad"),
    ),
    MemberInput(PersonInput("Lina", birth_year=THIS_YEAR - 8, household_role="child")),
    MemberInput(
        PersonInput("Omar", birth_year=THIS_YEAR - 3, household_role="child", last_name="Haddad-Ali")
    ),
]


def test_a_family_of_five_is_registered_in_one_go(coordinator: User) -> None:
    household = family_register(
        actor=coordinator,
        household=HouseholdInput("Haddad", district="Centrum"),
        members=[
            MemberInput(
                PersonInput(
                    m.person.first_name,
                    last_name=m.person.last_name,
                    birth_year=m.person.birth_year,
                    household_role=m.person.household_role,
                    languages=("ar",),
                ),
                m.consents,
            )
            for m in FAMILY
        ],
    )
    members = {p.first_name: p for p in household.members.all()}
    assert set(members) == {"Amal", "Samir", "Yousef", "Lina", "Omar"}
    assert members["Samir"].last_name == "Haddad"
    assert members["Omar"].last_name == "Haddad-Ali"
    assert all(p.district == "Centrum" and p.languages == ["ar"] for p in members.values())
    assert members["Yousef"].consents.get().guardian_name == "Amal Haddad"


def test_a_family_with_one_bad_member_writes_nothing(coordinator: User) -> None:
    households, people = Household.objects.count(), Person.objects.count()
    bad_child = MemberInput(
        PersonInput("Lina", birth_year=THIS_YEAR - 8, household_role="child"), ConsentInput({"photos": True})
    )
    with pytest.raises(PeopleError) as refused:
        family_register(
            actor=coordinator, household=HouseholdInput("Haddad"), members=[*FAMILY[:3], bad_child, FAMILY[4]]
        )
    assert refused.value.index == 3
    assert (Household.objects.count(), Person.objects.count()) == (households, people)


def test_a_family_member_already_registered_is_reported_by_index(coordinator: User) -> None:
    existing = PersonFactory.create(first_name="X", phone="+46705551212")
    with pytest.raises(DuplicatePeopleError) as warned:
        family_register(actor=coordinator, household=HouseholdInput("Haddad"), members=FAMILY)
    assert list(warned.value.matches) == [0]
    assert warned.value.matches[0][0].person == existing
    assert not Household.objects.filter(name="Haddad").exists()


def test_an_empty_family_is_refused(coordinator: User) -> None:
    with pytest.raises(PeopleError):
        family_register(actor=coordinator, household=HouseholdInput("Haddad"), members=[])
