"""The bodies of the writes on activities, sessions and projects."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from activities.choices import ActivityCategory, Arena, Audience, FunderKind, ScheduleKind
from activities.services.activities import ActivityData, Schedule
from activities.services.projects import ProjectData
from api.resources.inputs.fields import Day, LocalTime, Text, choice, merged, required_text
from api.resources.serializers import id_field

if TYPE_CHECKING:
    from activities.models import Activity, Project
    from partners.models import Partner

LANGUAGE_CODE_PATTERN = r"^[a-z]{2,3}$"
MAX_BUDGET = 10**12 - 1  # the model keeps twelve digits of kronor
MAX_CAPACITY = 2**31 - 1

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
            data = merged(
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
            data = merged(
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
