"""The bodies of the households' and people's writes, and of the decisions taken on a person's page
(consent, matching, erasure)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from api.resources.inputs.fields import (
    LANGUAGE_CHOICES,
    Day,
    Text,
    choice,
    email,
    merged,
    required_text,
    year,
)
from api.resources.serializers import id_field
from people.choices import ConsentPurpose, Gender, HouseholdRole, PersonGroup
from people.forms.people import MAX_MEMBERS
from people.services.people import ConsentInput, HouseholdInput, PersonInput
from privacy.services import ERASE_CONFIRMATION_WORD

if TYPE_CHECKING:
    from people.models import Household, Person


class ConsentsSerializer(serializers.Serializer[Any]):
    """Decisions per purpose; a purpose left out is not asked about. A child under 13: see guardian_name."""

    contact = serializers.BooleanField(required=False)
    statistics = serializers.BooleanField(required=False)
    photos = serializers.BooleanField(required=False)
    sharing = serializers.BooleanField(required=False)


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "birth_year",
    "gender",
    "group",
    "household_role",
    "arrival_year",
    "languages",
    "interests",
    "phone",
    "email",
    "district",
    "notes",
    "is_volunteer",
    "protected_identity",
)


def _consent_input(data: dict[str, Any]) -> ConsentInput | None:
    if "consents" not in data and "guardian_name" not in data:
        return None
    decisions = {purpose: given for purpose, given in (data.get("consents") or {}).items()}
    return ConsentInput(decisions=decisions, guardian_name=data.get("guardian_name", ""))


class PersonWriteSerializer(serializers.Serializer[Any]):
    """A person's fields as the person form has them (PATCH: only the fields given change)."""

    first_name = required_text(80)
    last_name = Text(max_length=80)
    birth_date = Day(required=False, allow_null=True)
    birth_year = year(help_text="Filled from birth_date when that is given.")
    gender = choice(Gender.choices)
    group = choice(PersonGroup.choices, required=True)
    household_role = choice(HouseholdRole.choices)
    arrival_year = year()
    languages = serializers.ListField(
        child=choice(LANGUAGE_CHOICES, required=True), max_length=20, required=False
    )
    interests = serializers.ListField(child=Text(max_length=40), max_length=20, required=False)
    phone = Text(max_length=30, help_text="Swedish numbers in any form: 070-123 45 67, +46 70 123 45 67.")
    email = email()
    district = Text(max_length=80)
    notes = Text(max_length=5000)
    is_volunteer = serializers.BooleanField(required=False)
    protected_identity = serializers.BooleanField(required=False)
    consents = ConsentsSerializer(required=False)
    guardian_name = Text(
        max_length=160,
        help_text="Required when consent is recorded for a child under 13: the guardian decides.",
    )

    def person_input(self, current: Person | None = None) -> PersonInput:
        data = {key: value for key, value in self.validated_data.items() if key in PERSON_FIELDS}
        if data.get("birth_date") is not None and "birth_year" not in data:
            data["birth_year"] = None  # the service takes it from the new birth date
        if current is not None:
            data = merged(data, {name: getattr(current, name) for name in PERSON_FIELDS})
        data["languages"] = tuple(data.get("languages", ()))
        data["interests"] = tuple(data.get("interests", ()))
        return PersonInput(**data)

    def consent_input(self) -> ConsentInput | None:
        return _consent_input(dict(self.validated_data))


class PersonCreateSerializer(PersonWriteSerializer):
    household = id_field(required=False, allow_null=True, help_text="The household the person belongs to.")
    confirm_duplicates = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Save even though possible duplicates were reported (409 with their ids).",
    )


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    purpose = choice(ConsentPurpose.choices, required=True)


class PersonEraseSerializer(serializers.Serializer[Any]):
    confirmation = serializers.ChoiceField(
        choices=[(ERASE_CONFIRMATION_WORD, ERASE_CONFIRMATION_WORD)],
        help_text="Type RADERA to confirm: the person is anonymised for good.",
    )


class HouseholdWriteSerializer(serializers.Serializer[Any]):
    name = required_text(120)
    district = Text(max_length=80)
    notes = Text(max_length=5000)

    def household_input(self, current: Household | None = None) -> HouseholdInput:
        data = dict(self.validated_data)
        if current is not None:
            data = merged(data, {"name": current.name, "district": current.district, "notes": current.notes})
        return HouseholdInput(**{key: data[key] for key in ("name", "district", "notes") if key in data})


class MemberSerializer(serializers.Serializer[Any]):
    """One member in a family registration, as the family form has them."""

    first_name = required_text(80)
    last_name = Text(max_length=80, help_text="Empty: the family name.")
    household_role = choice(HouseholdRole.choices)
    birth_year = year()
    birth_date = Day(required=False, allow_null=True)
    gender = choice(Gender.choices)
    phone = Text(max_length=30)
    email = email()
    languages = serializers.ListField(
        child=choice(LANGUAGE_CHOICES, required=True),
        max_length=20,
        required=False,
        help_text="Empty: the family's languages.",
    )
    consents = ConsentsSerializer(required=False)
    guardian_name = Text(max_length=160)


def _member_input(data: dict[str, Any], family: dict[str, Any]) -> PersonInput:
    """A member's fields, with what the family shares (group, year of arrival, languages)."""
    return PersonInput(
        first_name=data["first_name"],
        last_name=data.get("last_name", ""),
        birth_date=data.get("birth_date"),
        birth_year=data.get("birth_year"),
        gender=data.get("gender") or Gender.NOT_STATED,
        group=family["group"],
        household_role=data.get("household_role") or HouseholdRole.ADULT,
        arrival_year=family.get("arrival_year"),
        languages=tuple(data.get("languages") or family.get("languages") or ()),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
    )


class FamilySerializer(HouseholdWriteSerializer):
    """A household and all its members in one request: all saved, or none."""

    group = choice(PersonGroup.choices, required=True)
    languages = serializers.ListField(
        child=choice(LANGUAGE_CHOICES, required=True), max_length=20, required=False
    )
    arrival_year = year()
    members = serializers.ListField(child=MemberSerializer(), min_length=1, max_length=MAX_MEMBERS)
    confirm_duplicates = serializers.BooleanField(required=False, default=False)

    def member_inputs(self) -> list[tuple[PersonInput, ConsentInput]]:
        family = dict(self.validated_data)
        return [
            (_member_input(data, family), _consent_input(data) or ConsentInput())
            for data in family["members"]
        ]


class HouseholdMemberSerializer(serializers.Serializer[Any]):
    person = id_field()


class MatchingOptOutWriteSerializer(serializers.Serializer[Any]):
    opted_out = serializers.BooleanField(
        help_text="true: does not want to be matched (their waiting requests are withdrawn); "
        "false: wants to be matched again."
    )
    note = Text(max_length=200)
