"""What the API accepts for its writes: the request bodies, checked for shape only, turned into the
services' own input (``PersonInput``, ``ActivityData``, …). The rules of the work stay in the services.

Every body the schema allows must reach the service: a check here that the OpenAPI contract does not
describe would answer 400 to a request the contract calls valid. So text is taken as typed (the services
trim it and refuse what is empty), NUL characters are dropped (PostgreSQL cannot store them and no field
needs one), and dates carry their year range in the contract as a pattern.

A PATCH changes only the fields it names: ``*_input(current)`` starts from the record as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.choices import ActivityCategory, Arena, Audience, FunderKind, ScheduleKind
from activities.models import Activity, Project
from activities.services.activities import ActivityData, Schedule
from activities.services.projects import ProjectData
from api.resources.serializers import id_field
from core.languages import LANGUAGES
from matching.choices import (
    Availability,
    ContactKind,
    MatchEndReason,
    MatchKind,
    MatchPreference,
    PathwayEndReason,
    PathwayOutcome,
    PathwayStage,
)
from matching.models.pathways import PATHWAY_ARENA_CHOICES
from partners.choices import PartnerKind
from partners.models import Partner
from partners.services import ContactInput, PartnerInput
from people.choices import ConsentPurpose, Gender, HouseholdRole, PersonGroup
from people.forms.people import MAX_MEMBERS
from people.models import Household, Person
from people.services.people import ConsentInput, HouseholdInput, PersonInput
from privacy.services import ERASE_CONFIRMATION_WORD

# Years the API takes in dates: enough for birth dates and plans, and every moment in the range converts
# between local time and UTC without leaving what Python and PostgreSQL can hold.
YEAR_PATTERN = r"^(19|20)[0-9]{2}-"
_YEAR = re.compile(YEAR_PATTERN)
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"
MAX_BUDGET = 10**12 - 1  # the model keeps twelve digits of kronor
MAX_CAPACITY = 2**31 - 1


class Text(serializers.CharField):
    """Text as typed: not trimmed (the services trim, and refuse what is left empty), NUL dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", not kwargs["required"])
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_internal_value(self, data: Any) -> str:
        return str(super().to_internal_value(data)).replace("\x00", "")


def required_text(max_length: int) -> Text:
    """Required and not empty (the contract says minLength 1); what is only spaces reaches the service,
    whose rules refuse it with their own message."""
    return Text(required=True, max_length=max_length)


def _check_year(value: Any) -> None:
    if isinstance(value, str) and not _YEAR.match(value.strip()):
        raise serializers.ValidationError(_("Give a date between the years 1900 and 2099."))


@extend_schema_field({"type": "string", "format": "date", "pattern": YEAR_PATTERN, "example": "2026-09-01"})
class Day(serializers.DateField):
    """A date (YYYY-MM-DD) between the years 1900 and 2099."""

    def to_internal_value(self, value: Any) -> dt.date:
        _check_year(value)
        return super().to_internal_value(value)


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": YEAR_PATTERN,
        "example": "2026-09-01T18:00:00+02:00",
    }
)
class Moment(serializers.DateTimeField):
    """A moment with its offset (or in the network's own time zone), between the years 1900 and 2099."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        _check_year(value)
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "18:00"})
class LocalTime(serializers.TimeField):
    """A time of day on the network's wall clock (Europe/Stockholm), HH:MM or HH:MM:SS."""


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    kwargs.setdefault("required", False)
    return serializers.ChoiceField(choices=choices, **kwargs)


def year(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True, **kwargs)


def email() -> serializers.EmailField:
    return serializers.EmailField(max_length=254, required=False, allow_blank=True)


LANGUAGE_CHOICES = [(language.code, language.en) for language in LANGUAGES]


def _given(data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The record's current values with the fields of the request on top (a PATCH names only some)."""
    return {**current, **data}


# --- People and households --------------------------------------------------------------------------------


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
            data = _given(data, {name: getattr(current, name) for name in PERSON_FIELDS})
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
            data = _given(data, {"name": current.name, "district": current.district, "notes": current.notes})
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


# --- Partners ---------------------------------------------------------------------------------------------


class ContactWriteSerializer(serializers.Serializer[Any]):
    """A contact person: without id a new one; with id that contact changed, or removed with delete."""

    id = id_field(required=False, allow_null=True)
    name = Text(max_length=160)
    title = Text(max_length=120)
    phone = Text(max_length=30)
    email = email()
    delete = serializers.BooleanField(required=False, default=False)


PARTNER_FIELDS = ("name", "kind", "description", "website", "phone", "email", "is_active")


class PartnerWriteSerializer(serializers.Serializer[Any]):
    name = required_text(160)
    kind = choice(PartnerKind.choices, required=True)
    description = Text(max_length=5000)
    # Plain text in the contract: the partner rules check the address (a 409 says what is wrong).
    website = Text(max_length=200, help_text="https://… or empty.")
    phone = Text(max_length=30)
    email = email()
    is_active = serializers.BooleanField(required=False)
    contacts = serializers.ListField(
        child=ContactWriteSerializer(),
        required=False,
        max_length=30,
        help_text="Contact rows to add, change or remove; contacts not named stay as they are.",
    )

    def partner_input(self, current: Partner | None = None) -> PartnerInput:
        data = {key: value for key, value in self.validated_data.items() if key in PARTNER_FIELDS}
        if current is not None:
            data = _given(data, {name: getattr(current, name) for name in PARTNER_FIELDS})
        return PartnerInput(**data)

    def contact_inputs(self) -> list[ContactInput]:
        return [
            ContactInput(
                id=row.get("id"),
                name=row.get("name", ""),
                title=row.get("title", ""),
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                delete=row.get("delete", False),
            )
            for row in self.validated_data.get("contacts", [])
        ]


# --- Activities and projects ------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "category",
    "arena",
    "audience",
    "description",
    "place",
    "capacity",
    "languages",
    "is_public",
    "is_active",
)
SCHEDULE_FIELDS = ("schedule_kind", "weekdays", "start_time", "end_time", "starts_on", "ends_on")


class ActivityWriteSerializer(serializers.Serializer[Any]):
    """An activity and its schedule. Sessions follow the schedule: on a change, future ones only."""

    title = required_text(160)
    category = choice(ActivityCategory.choices, required=True)
    arena = choice(Arena.choices)
    audience = choice(Audience.choices)
    description = Text(max_length=5000)
    partner = id_field(required=False, allow_null=True, help_text="An active partner.")
    place = Text(max_length=200)
    leaders = serializers.ListField(
        child=id_field(), max_length=50, required=False, help_text="Users (admin, coordinator, volunteer)."
    )
    capacity = serializers.IntegerField(
        min_value=0, max_value=MAX_CAPACITY, required=False, allow_null=True, help_text="null: no limit."
    )
    languages = serializers.ListField(
        child=serializers.RegexField(LANGUAGE_CODE_PATTERN, max_length=3), max_length=20, required=False
    )
    is_public = serializers.BooleanField(required=False)
    is_active = serializers.BooleanField(required=False)
    schedule_kind = choice(ScheduleKind.choices)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        required=False,
        help_text="0 = Monday … 6 = Sunday.",
    )
    start_time = LocalTime(required=False, allow_null=True)
    end_time = LocalTime(required=False, allow_null=True)
    starts_on = Day(required=False, allow_null=True)
    ends_on = Day(required=False, allow_null=True)
    dates = serializers.ListField(
        child=Day(),
        max_length=100,
        required=False,
        help_text="Single dates: sessions to add on these days (those already planned are kept).",
    )

    def activity_data(
        self, *, partner: Partner | None, leaders: list[Any], current: Activity | None
    ) -> ActivityData:
        data = dict(self.validated_data)
        if current is not None:
            data = _given(
                data, {name: getattr(current, name) for name in (*ACTIVITY_FIELDS, *SCHEDULE_FIELDS)}
            )
        fields = {name: data[name] for name in ACTIVITY_FIELDS if name in data}
        fields["languages"] = tuple(fields.get("languages", ()))
        return ActivityData(
            **fields,
            partner=partner,
            leaders=leaders,
            schedule=Schedule(
                kind=data.get("schedule_kind", ScheduleKind.WEEKLY),
                weekdays=tuple(data.get("weekdays") or ()),
                start_time=data.get("start_time"),
                end_time=data.get("end_time"),
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                # Single dates are an instruction (add these), not a stored field: only what was sent.
                dates=tuple(sorted(set(self.validated_data.get("dates", ())))),
            ),
        )


class SessionAddSerializer(serializers.Serializer[Any]):
    date = Day()
    start_time = LocalTime()
    end_time = LocalTime()
    place = Text(max_length=200, help_text="Empty: the activity's place.")


class SessionCancelSerializer(serializers.Serializer[Any]):
    reason = required_text(200)


class SessionMoveSerializer(serializers.Serializer[Any]):
    """The new time, as on the move form; the place is kept unless one is given."""

    date = Day()
    start_time = LocalTime()
    end_time = LocalTime()
    place = Text(max_length=200, help_text="Left out: the place stays as it is. Empty: the activity's place.")


PROJECT_FIELDS = ("name", "funder_kind", "funder_name", "description", "starts_on", "ends_on")


class ProjectWriteSerializer(serializers.Serializer[Any]):
    name = required_text(160)
    funder_kind = choice(FunderKind.choices, required=True)
    funder_name = Text(max_length=160)
    description = Text(max_length=5000)
    starts_on = Day()
    ends_on = Day()
    budget_sek = serializers.IntegerField(
        min_value=0, max_value=MAX_BUDGET, required=False, allow_null=True, help_text="Whole kronor."
    )
    activities = serializers.ListField(child=id_field(), max_length=200, required=False)

    def project_data(self, *, activities: list[Activity], current: Project | None) -> ProjectData:
        data = dict(self.validated_data)
        if current is not None:
            budget = None if current.budget_sek is None else int(current.budget_sek)
            data = _given(
                data, {**{name: getattr(current, name) for name in PROJECT_FIELDS}, "budget_sek": budget}
            )
        budget_sek = data.get("budget_sek")
        return ProjectData(
            **{name: data[name] for name in PROJECT_FIELDS if name in data},
            budget_sek=None if budget_sek is None else Decimal(budget_sek),
            activities=activities,
        )


class ReportingDateAddSerializer(serializers.Serializer[Any]):
    due_on = Day()
    description = required_text(200)


class ReportingDateDoneSerializer(serializers.Serializer[Any]):
    done = serializers.BooleanField(
        required=False, default=True, help_text="false: not done after all (the page's undo)."
    )


# --- Matching and pathways --------------------------------------------------------------------------------


class MatchRequestCreateSerializer(serializers.Serializer[Any]):
    """What is not given is taken from the person and the family (languages, interests, children, district)."""

    person = id_field(help_text="The person asking, or the family's contact when the whole family asks.")
    kind = choice(MatchKind.choices, required=True)
    for_household = serializers.BooleanField(
        required=False, default=False, help_text="The whole family asks (the person's household)."
    )
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[A-Za-z]{2,3}$", max_length=3), max_length=20, required=False
    )
    interests = serializers.ListField(child=Text(max_length=40), max_length=20, required=False)
    children_ages = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=25), max_length=20, required=False
    )
    district = Text(max_length=80)
    availability = serializers.ListField(
        child=choice(Availability.choices, required=True), max_length=3, required=False
    )
    preferences = serializers.ListField(
        child=choice(MatchPreference.choices, required=True), max_length=2, required=False
    )
    note = Text(max_length=5000)

    def request_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        arguments: dict[str, Any] = {
            "kind": data["kind"],
            "availability": list(dict.fromkeys(data.get("availability", ()))),
            "preferences": list(dict.fromkeys(data.get("preferences", ()))),
            "note": data.get("note", ""),
        }
        # Left out: None, so the service takes them from the person and the family.
        for name in ("languages", "interests", "children_ages", "district"):
            arguments[name] = data.get(name)
        return arguments


class WithdrawSerializer(serializers.Serializer[Any]):
    reason = required_text(200)


class ProposeSerializer(serializers.Serializer[Any]):
    match_request = id_field(help_text="A waiting request.")
    candidate = id_field(help_text="A waiting request of the other group (see the request's suggestions).")
    note = Text(max_length=500)


class MatchActivateSerializer(serializers.Serializer[Any]):
    started_on = Day(required=False, help_text="Default: today.")


class MatchEndSerializer(serializers.Serializer[Any]):
    reason = choice(MatchEndReason.choices, required=True)
    note = Text(max_length=200, help_text="Required when the reason is 'other'.")
    ended_on = Day(required=False, help_text="Default: today.")


class FirstMeetingSerializer(serializers.Serializer[Any]):
    at = Moment()
    place = required_text(200)


class ContactLogSerializer(serializers.Serializer[Any]):
    kind = choice(ContactKind.choices, required=True)
    happened_on = Day(required=False, help_text="Default: today.")
    note = Text(max_length=500)


class CheckInDoneSerializer(serializers.Serializer[Any]):
    note = required_text(500)


class CheckInsDueQuerySerializer(serializers.Serializer[Any]):
    """The query of the list of check-ins due: the matching page's list is the one of today."""

    due_by = Day(
        required=False,
        help_text="Check-ins due on or before this day; today, in the network's time zone, when left out.",
    )


class MatchingOptOutWriteSerializer(serializers.Serializer[Any]):
    opted_out = serializers.BooleanField(
        help_text="true: does not want to be matched (their waiting requests are withdrawn); "
        "false: wants to be matched again."
    )
    note = Text(max_length=200)


class DistrictNeighbourWriteSerializer(serializers.Serializer[Any]):
    district = required_text(80)
    neighbour = required_text(80)


class PathwayCreateSerializer(serializers.Serializer[Any]):
    person = id_field()
    arena = choice(PATHWAY_ARENA_CHOICES, required=True)
    goal = required_text(160)
    partner = id_field(
        required=False, allow_null=True, help_text="An active partner; needed from the referral on."
    )
    interest_on = Day(required=False, help_text="Default: today.")
    note = Text(max_length=5000)


NEXT_STAGES = [(value, label) for value, label in PathwayStage.choices if value != PathwayStage.INTEREST]


class PathwayStageSerializer(serializers.Serializer[Any]):
    """One step on: interest → referred → started → established (with an outcome), or ended (with a reason)."""

    stage = choice(NEXT_STAGES, required=True)
    on = Day(required=False, help_text="Default: today.")
    partner = id_field(required=False, allow_null=True, help_text="An active partner, if not chosen before.")
    outcome = choice(PathwayOutcome.choices, allow_blank=True, help_text="Only when established.")
    end_reason = choice(PathwayEndReason.choices, allow_blank=True, help_text="Only when ended.")
    note = Text(max_length=500, help_text="Required when the reason is 'other'.")
