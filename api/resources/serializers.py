"""What the API shows of each record, and what it accepts for the writes it offers."""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from activities.choices import AttendanceStatus
from activities.models import Activity, Attendance, Project, Registration, ReportingDate, Session
from matching.choices import MatchEndReason, PathwayEndReason, PathwayOutcome
from matching.models import (
    CheckIn,
    DistrictNeighbour,
    Match,
    MatchContact,
    MatchingOptOut,
    MatchRequest,
    Pathway,
)
from partners.models import Partner, PartnerContact
from people.choices import ConsentPurpose
from people.models import Consent, Household, Person
from people.selectors.people import sees_register

# Ids in request bodies: positive and within PostgreSQL's bigint, so a lookup never fails in the database.
MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(
    {"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$", "example": "13:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A time of day in the network's own zone, HH:MM:SS. OpenAPI's "time" format would demand an offset."""


class PlainTextModelSerializer(serializers.ModelSerializer[Any]):
    """E-mail and web addresses are optional on the models, so the API may return "": described as plain
    strings, since OpenAPI's email and uri formats would reject the empty value."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.EmailField: serializers.CharField,
        models.URLField: serializers.CharField,
    }


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    class Meta:
        model = Household
        fields = ["id", "name", "district", "notes", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class PersonSerializer(PlainTextModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "household_role",
            "first_name",
            "last_name",
            "birth_date",
            "birth_year",
            "gender",
            "group",
            "arrival_year",
            "languages",
            "interests",
            "phone",
            "email",
            "district",
            "notes",
            "is_volunteer",
            "protected_identity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "household", "created_at", "updated_at"]

    def to_representation(self, instance: Person) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        # As on the pages: a coordinator's notes are for the register, not for volunteers.
        if request is not None and not sees_register(request.user):
            data["notes"] = ""
        return data


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    class Meta:
        model = Consent
        fields = ["id", "person", "purpose", "given", "given_by_guardian", "recorded_at"]
        read_only_fields = fields


class ConsentDecisionSerializer(serializers.ModelSerializer[Consent]):
    """One consent decision with what the person's page shows of it: when, by whom, the guardian."""

    # The page falls back to the recorder's e-mail address; the API does not: staff addresses are not the
    # integration's business (as with check-in reminders below).
    recorded_by_name = serializers.CharField(
        source="recorded_by.full_name",
        read_only=True,
        allow_null=True,
        help_text="The full name of who recorded it (empty when the account has none); null when the "
        "account is gone.",
    )

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "given",
            "given_by_guardian",
            "guardian_name",
            "recorded_at",
            "recorded_by",
            "recorded_by_name",
        ]
        read_only_fields = fields


class PurposeDecisionSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    decision = ConsentDecisionSerializer(
        allow_null=True,
        help_text="The newest decision for the purpose, the one in force; null when never asked.",
    )


class ConsentDecisionsSerializer(serializers.Serializer[Any]):
    """A person's consent, as the person's page and the export page show it."""

    in_force = PurposeDecisionSerializer(
        many=True, help_text="Every purpose, in the order of the person's page, with the decision in force."
    )
    history = ConsentDecisionSerializer(many=True, help_text="Every decision recorded, newest first.")


class MatchingOptOutSerializer(serializers.ModelSerializer[MatchingOptOut]):
    class Meta:
        model = MatchingOptOut
        fields = ["id", "person", "opted_out", "note", "recorded_at", "recorded_by"]
        read_only_fields = fields


class MatchingDecisionsSerializer(serializers.Serializer[Any]):
    """A person's decisions about being matched, as the opt-out page shows them."""

    opted_out = serializers.BooleanField(help_text="The decision in force: the newest one.")
    history = MatchingOptOutSerializer(many=True, help_text="Every decision recorded, newest first.")


class MatchingDecisionResultSerializer(MatchingDecisionsSerializer):
    withdrawn_requests = serializers.IntegerField(
        help_text="Waiting match requests withdrawn because the person said no."
    )


class HouseholdWithMembersSerializer(HouseholdSerializer):
    """A household with the members the user may see (the answer to a family registration)."""

    members = PersonSerializer(many=True, read_only=True)

    class Meta(HouseholdSerializer.Meta):
        fields = [*HouseholdSerializer.Meta.fields, "members"]


class PartnerContactSerializer(PlainTextModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["id", "name", "title", "phone", "email"]
        read_only_fields = fields


class PartnerSerializer(PlainTextModelSerializer):
    contacts = PartnerContactSerializer(many=True, read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "website",
            "phone",
            "email",
            "is_active",
            "contacts",
            "created_at",
        ]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)
    leaders: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "description",
            "category",
            "arena",
            "audience",
            "partner",
            "place",
            "leaders",
            "capacity",
            "languages",
            "is_public",
            "is_active",
            "schedule_kind",
            "weekdays",
            "start_time",
            "end_time",
            "starts_on",
            "ends_on",
            "created_at",
        ]
        read_only_fields = fields


class SessionSerializer(serializers.ModelSerializer[Session]):
    activity_title = serializers.CharField(source="activity.title", read_only=True)
    present_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "activity",
            "activity_title",
            "starts_at",
            "ends_at",
            "scheduled_start",
            "place",
            "status",
            "cancel_reason",
            "note",
            "present_count",
        ]
        read_only_fields = fields


class SessionNoticeResultSerializer(serializers.Serializer[Any]):
    session = SessionSerializer(help_text="The session after the change.")
    emailed = serializers.ListField(
        child=serializers.IntegerField(), help_text="People registered who are told by e-mail (ids)."
    )
    to_phone = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="People registered to phone: no e-mail address or no contact consent (ids).",
    )


class RegistrationSerializer(serializers.ModelSerializer[Registration]):
    class Meta:
        model = Registration
        fields = ["id", "activity", "person", "status", "created_at", "cancelled_at"]
        read_only_fields = fields


class RegistrationCreateSerializer(serializers.Serializer[Any]):
    activity = id_field()
    person = id_field()


class RegistrationCancelResultSerializer(serializers.Serializer[Any]):
    registration = RegistrationSerializer(help_text="The cancelled registration.")
    promoted = serializers.ListField(
        child=serializers.IntegerField(), help_text="People who got a seat from the waiting list (ids)."
    )
    to_phone = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Of those, the people to phone (no e-mail address or no contact consent); the others "
        "are e-mailed.",
    )


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ["id", "session", "person", "status", "is_walk_in", "recorded_at"]
        read_only_fields = fields


class AttendanceMarkSerializer(serializers.Serializer[Any]):
    person = id_field()
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)


class AttendanceSaveResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text="Marks made for the first time.")
    changed = serializers.IntegerField(help_text="Earlier marks corrected (each change is logged).")
    attendance = AttendanceSerializer(many=True, help_text="The session's marks after saving.")


class ProjectSerializer(serializers.ModelSerializer[Project]):
    activities: serializers.PrimaryKeyRelatedField[Activity] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "funder_kind",
            "funder_name",
            "description",
            "starts_on",
            "ends_on",
            "budget_sek",
            "activities",
            "created_at",
        ]
        read_only_fields = fields


class ReportingDateSerializer(serializers.ModelSerializer[ReportingDate]):
    class Meta:
        model = ReportingDate
        fields = ["id", "project", "due_on", "description", "done"]
        read_only_fields = fields


class MatchRequestSerializer(serializers.ModelSerializer[MatchRequest]):
    class Meta:
        model = MatchRequest
        fields = [
            "id",
            "kind",
            "group",
            "person",
            "household",
            "languages",
            "interests",
            "children_birth_years",
            "district",
            "availability",
            "preferences",
            "note",
            "status",
            "source",
            "withdrawn_reason",
            "created_at",
        ]
        read_only_fields = fields


def blank_or(choices: Any) -> serializers.ChoiceField:
    """A read-only choice that is "" until it applies (a match's reason once it ends, a pathway's outcome
    once established): the contract must allow the empty value."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


class MatchSerializer(serializers.ModelSerializer[Match]):
    last_contact_on = serializers.DateField(read_only=True, allow_null=True)
    end_reason = blank_or(MatchEndReason.choices)

    class Meta:
        model = Match
        fields = [
            "id",
            "kind",
            "newcomer_request",
            "established_request",
            "status",
            "coordinator",
            "proposed_on",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
            "first_meeting_at",
            "first_meeting_place",
            "note",
            "last_contact_on",
            "created_at",
        ]
        read_only_fields = fields


class MatchContactSerializer(serializers.ModelSerializer[MatchContact]):
    class Meta:
        model = MatchContact
        fields = ["id", "match", "kind", "happened_on", "note", "logged_at"]
        read_only_fields = fields


class CheckInSerializer(serializers.ModelSerializer[CheckIn]):
    class Meta:
        model = CheckIn
        # Not whom the reminder went to: staff addresses are not the integration's business.
        fields = ["id", "match", "months", "due_on", "status", "done_on", "note", "reminded_at"]
        read_only_fields = fields


class CheckInDueSerializer(CheckInSerializer):
    """A check-in on the matching page's list of those due, with the pair named as the page names them."""

    newcomer_name = serializers.CharField(
        source="match.newcomer_request.display_name",
        read_only=True,
        help_text="The newcomer side: the family's name for a family request, else the person's.",
    )
    established_name = serializers.CharField(
        source="match.established_request.display_name",
        read_only=True,
        help_text="The established side, named the same way.",
    )

    class Meta(CheckInSerializer.Meta):
        fields = [*CheckInSerializer.Meta.fields, "newcomer_name", "established_name"]
        read_only_fields = fields


class DistrictNeighbourSerializer(serializers.ModelSerializer[DistrictNeighbour]):
    class Meta:
        model = DistrictNeighbour
        fields = ["id", "district_a", "district_b", "created_at"]
        read_only_fields = fields


class PathwaySerializer(serializers.ModelSerializer[Pathway]):
    outcome = blank_or(PathwayOutcome.choices)
    end_reason = blank_or(PathwayEndReason.choices)

    class Meta:
        model = Pathway
        fields = [
            "id",
            "person",
            "arena",
            "partner",
            "goal",
            "stage",
            "stage_on",
            "outcome",
            "end_reason",
            "coordinator",
            "note",
            "created_at",
        ]
        read_only_fields = fields
