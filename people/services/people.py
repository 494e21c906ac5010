"""Writes of households, people and consent. Views and imports call these; nothing else saves people.

Rules kept here: birth year follows the birth date, phone numbers and e-mail addresses are stored in one
canonical form, a guardian decides for children under 13, and a possible duplicate is saved only when the
user confirmed it is someone else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.contact import normalise_email, normalise_phone
from core.errors import DomainError, full_clean_or_raise
from core.languages import is_known
from core.signals import counted_data_changed
from people.choices import ConsentPurpose, Gender, HouseholdRole, PersonGroup
from people.models import Consent, Household, Person
from people.models.people import GUARDIAN_CONSENT_BELOW_AGE
from people.selectors.people import DuplicateMatch, Probe, current_consents, find_duplicates


class PeopleError(DomainError):
    """A rule about people or households was broken; the message is fit to show to the user.

    ``field`` names the form field the message belongs to, when there is one; ``index`` the member of a
    family form.
    """


class DuplicatePeopleError(PeopleError):
    """Possible duplicates were found and the user has not confirmed that these are other people."""

    def __init__(self, matches: dict[int, list[DuplicateMatch]]) -> None:
        super().__init__(
            _("This person may already be registered. Check the list and confirm to save anyway.")
        )
        self.matches = matches


@dataclass(frozen=True)
class PersonInput:
    """A person's own fields as a form or an import gives them."""

    first_name: str
    group: str = PersonGroup.NEWCOMER
    last_name: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    gender: str = Gender.NOT_STATED
    household_role: str = HouseholdRole.ADULT
    arrival_year: int | None = None
    languages: Sequence[str] = ()
    interests: Sequence[str] = ()
    phone: str = ""
    email: str = ""
    district: str = ""
    notes: str = ""
    is_volunteer: bool = False
    protected_identity: bool = False

    def probe(self) -> Probe:
        year = self.birth_date.year if self.birth_date else self.birth_year
        return Probe(self.first_name, self.last_name, year, self.phone, self.email)


@dataclass(frozen=True)
class ConsentInput:
    """Decisions per purpose (purpose → given). Purposes left out are not asked about."""

    decisions: Mapping[str, bool] = field(default_factory=dict)
    guardian_name: str = ""


@dataclass(frozen=True)
class HouseholdInput:
    name: str
    district: str = ""
    notes: str = ""


def person_input_normalise(data: PersonInput) -> PersonInput:
    """``data`` in canonical form, checked for what the model cannot check (PersonForm shows the same)."""
    today = timezone.localdate()
    if data.birth_date is not None:
        if data.birth_date > today:
            raise PeopleError(_("The birth date cannot be in the future."), field="birth_date")
        if data.birth_year is not None and data.birth_year != data.birth_date.year:
            raise PeopleError(_("The birth year does not match the birth date."), field="birth_year")
    birth_year = data.birth_date.year if data.birth_date else data.birth_year
    if birth_year is not None and not 1900 <= birth_year <= today.year:
        raise PeopleError(
            _("The birth year must be between 1900 and %(year)s.") % {"year": today.year}, field="birth_year"
        )
    if data.arrival_year is not None:
        if data.arrival_year > today.year:
            raise PeopleError(_("The year of arrival cannot be in the future."), field="arrival_year")
        if birth_year is not None and data.arrival_year < birth_year:
            raise PeopleError(_("The year of arrival is before the birth year."), field="arrival_year")
    unknown = [code for code in data.languages if not is_known(code)]
    if unknown:
        raise PeopleError(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}, field="languages"
        )
    return replace(
        data,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        birth_year=birth_year,
        languages=tuple(dict.fromkeys(data.languages)),
        interests=tuple(interest.strip() for interest in data.interests if interest.strip()),
        phone=normalise_phone(data.phone),
        email=normalise_email(data.email),
        district=data.district.strip(),
    )


def person_fill(person: Person, data: PersonInput) -> None:
    """Copy ``data`` onto ``person`` in canonical form, checking what the model cannot."""
    data = person_input_normalise(data)
    person.first_name = data.first_name
    person.last_name = data.last_name
    person.birth_date = data.birth_date
    person.birth_year = data.birth_year
    person.gender = data.gender
    person.group = data.group
    person.household_role = data.household_role
    person.arrival_year = data.arrival_year
    person.languages = list(data.languages)
    person.interests = list(data.interests)
    person.phone = data.phone
    person.email = data.email
    person.district = data.district
    person.notes = data.notes
    person.is_volunteer = data.is_volunteer
    person.protected_identity = data.protected_identity


def needs_guardian(person: Person) -> bool:
    """Children under 13 need a guardian's consent; a child of unknown age is treated as one."""
    age = person.age_on(timezone.localdate())
    if age is None:
        return person.household_role == HouseholdRole.CHILD
    return age < GUARDIAN_CONSENT_BELOW_AGE


def check_model(instance: Person | Household, *, exclude: list[str] | None = None) -> None:
    full_clean_or_raise(instance, error=PeopleError, exclude=exclude)


def _record_consents(*, actor: User, person: Person, consents: ConsentInput) -> None:
    """Add a decision row for each purpose whose decision changed; not asked counts as no."""
    unknown = set(consents.decisions) - set(ConsentPurpose.values)
    if unknown:
        raise PeopleError(
            _("Unknown consent purpose: %(purpose)s.") % {"purpose": ", ".join(sorted(unknown))}
        )
    current = {purpose: c.given for purpose, c in current_consents(person).items()} if person.pk else {}
    changed = {
        purpose: given
        for purpose, given in consents.decisions.items()
        if current.get(purpose, False) != given
    }
    if not changed:
        return
    guardian = consents.guardian_name.strip()
    by_guardian = needs_guardian(person)
    if by_guardian and not guardian:
        raise PeopleError(
            _(
                "%(name)s is under 13: a guardian decides about consent. Write the guardian's name, "
                "or leave the consent boxes empty."
            )
            % {"name": person.first_name},
            field="guardian_name",
        )
    Consent.objects.bulk_create(
        Consent(
            person=person,
            purpose=purpose,
            given=given,
            given_by_guardian=by_guardian,
            guardian_name=guardian if by_guardian else "",
            recorded_by=actor,
        )
        for purpose, given in changed.items()
    )


# What the statistics count a person by: a change to one of these changes figures of every year.
_COUNTED = ("gender", "group", "birth_date", "birth_year", "household_id")


def _counted(person: Person) -> tuple[object, ...]:
    return tuple(getattr(person, name) for name in _COUNTED)


@transaction.atomic
def household_create(*, actor: User, data: HouseholdInput) -> Household:
    household = Household(name=data.name.strip(), district=data.district.strip(), notes=data.notes)
    check_model(household)
    household.save()
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, data: HouseholdInput) -> Household:
    household.name = data.name.strip()
    household.district = data.district.strip()
    household.notes = data.notes
    check_model(household)
    household.save()
    return household


@transaction.atomic
def person_create(
    *,
    actor: User,
    data: PersonInput,
    consents: ConsentInput | None = None,
    household: Household | None = None,
    allow_duplicates: bool = False,
) -> Person:
    """Register one person. Raises ``DuplicatePeopleError`` on possible duplicates unless allowed."""
    if not allow_duplicates:
        matches = find_duplicates(user=actor, probes=[data.probe()])
        if matches:
            raise DuplicatePeopleError(matches)
    person = Person(household=household, created_by=actor)
    person_fill(person, data)
    check_model(person)
    person.save()
    _record_consents(actor=actor, person=person, consents=consents or ConsentInput())
    counted_data_changed(day=person.created_at)
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, data: PersonInput, consents: ConsentInput | None = None
) -> Person:
    before = _counted(person)
    person_fill(person, data)
    check_model(person)
    person.save()
    if _counted(person) != before:
        counted_data_changed(day=None)
    if consents is not None:
        _record_consents(actor=actor, person=person, consents=consents)
    return person


@transaction.atomic
def consent_record(
    *, actor: User, person: Person, purpose: str, given: bool, guardian_name: str = ""
) -> None:
    """Record one decision about one purpose (e.g. a withdrawal on the phone)."""
    _record_consents(actor=actor, person=person, consents=ConsentInput({purpose: given}, guardian_name))


@transaction.atomic
def household_member_add(*, actor: User, household: Household, person: Person) -> Person:
    person.household = household
    person.save(update_fields=["household", "updated_at"])
    counted_data_changed(day=None)  # households reached, in every year the person took part
    return person


@transaction.atomic
def household_member_remove(*, actor: User, person: Person) -> Person:
    person.household = None
    person.save(update_fields=["household", "updated_at"])
    counted_data_changed(day=None)
    return person


@dataclass(frozen=True)
class MemberInput:
    person: PersonInput
    consents: ConsentInput = field(default_factory=ConsentInput)


@transaction.atomic
def family_register(
    *,
    actor: User,
    household: HouseholdInput,
    members: Sequence[MemberInput],
    allow_duplicates: bool = False,
) -> Household:
    """Register a household and all its members at once: all of them or, on any error, none.

    A ``PeopleError`` carries the ``index`` of the member it is about.
    """
    if not members:
        raise PeopleError(_("Add at least one member to the family."))
    if not allow_duplicates:
        matches = find_duplicates(user=actor, probes=[m.person.probe() for m in members])
        if matches:
            raise DuplicatePeopleError(matches)
    family = household_create(actor=actor, data=household)
    for index, member in enumerate(members):
        data = member.person
        if not data.last_name.strip():
            data = replace(data, last_name=family.name)
        if not data.district.strip() and family.district:
            data = replace(data, district=family.district)
        try:
            person = Person(household=family, created_by=actor)
            person_fill(person, data)
            check_model(person)
            person.save()
            _record_consents(actor=actor, person=person, consents=member.consents)
        except PeopleError as error:
            error.index = index
            raise
    counted_data_changed(day=timezone.now())
    return family
