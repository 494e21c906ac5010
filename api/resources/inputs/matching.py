"""The bodies of the matching writes (requests, matches, check-ins, districts) and the pathways'."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.resources.inputs.fields import Day, Moment, Text, choice, required_text
from api.resources.serializers import id_field
from matching.choices import (
    PATHWAY_ARENA_CHOICES,
    Availability,
    ContactKind,
    MatchEndReason,
    MatchKind,
    MatchPreference,
    PathwayEndReason,
    PathwayOutcome,
    PathwayStage,
)


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
