"""Filters of the list endpoints (django-filter). Ids are plain integers: a filter never tells whether a
record the user may not see exists."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

from activities.choices import RegistrationStatus
from activities.models import Activity, Attendance, Project, Registration, Session
from api.resources.serializers import MAX_ID
from matching.models import Match, MatchRequest, Pathway
from partners.models import Partner
from people.models import Household, Person


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """A whole number within bounds (ids by default), so no value can make the database fail."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2100})
class YearFilter(IdFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1900, max_value=2100, **kwargs)


class HouseholdFilter(django_filters.FilterSet):
    class Meta:
        model = Household
        fields = ["district"]


class PersonFilter(django_filters.FilterSet):
    household = IdFilter(field_name="household_id")
    activity = IdFilter(method="in_activity", label="Registered (or on the waiting list) in this activity")
    born_from = YearFilter(field_name="birth_year", lookup_expr="gte")
    born_until = YearFilter(field_name="birth_year", lookup_expr="lte")

    class Meta:
        model = Person
        fields = ["group", "gender", "district", "is_volunteer", "protected_identity", "household_role"]

    def in_activity(self, queryset: QuerySet[Person], name: str, value: int) -> QuerySet[Person]:
        return queryset.filter(
            pk__in=Registration.objects.filter(activity_id=value)
            .exclude(status=RegistrationStatus.CANCELLED)
            .values("person_id")
        )


class PartnerFilter(django_filters.FilterSet):
    class Meta:
        model = Partner
        fields = ["kind", "is_active"]


class ActivityFilter(django_filters.FilterSet):
    partner = IdFilter(field_name="partner_id")

    class Meta:
        model = Activity
        fields = ["category", "arena", "audience", "is_active", "is_public", "schedule_kind"]


class SessionFilter(django_filters.FilterSet):
    activity = IdFilter(field_name="activity_id")
    # Dates, not datetimes: any offset in a datetime would have to survive PostgreSQL's limits.
    starts_on_or_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lt")

    class Meta:
        model = Session
        fields = ["status"]


class RegistrationFilter(django_filters.FilterSet):
    activity = IdFilter(field_name="activity_id")
    person = IdFilter(field_name="person_id")

    class Meta:
        model = Registration
        fields = ["status"]


class AttendanceFilter(django_filters.FilterSet):
    session = IdFilter(field_name="session_id")
    person = IdFilter(field_name="person_id")
    activity = IdFilter(field_name="session__activity_id")

    class Meta:
        model = Attendance
        fields = ["status", "is_walk_in"]


class ProjectFilter(django_filters.FilterSet):
    activity = IdFilter(field_name="activities__id")

    class Meta:
        model = Project
        fields = ["funder_kind"]


class MatchRequestFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id")
    household = IdFilter(field_name="household_id")

    class Meta:
        model = MatchRequest
        fields = ["kind", "group", "status", "source", "district"]


class MatchFilter(django_filters.FilterSet):
    coordinator = IdFilter(field_name="coordinator_id")

    class Meta:
        model = Match
        fields = ["kind", "status"]


class PathwayFilter(django_filters.FilterSet):
    person = IdFilter(field_name="person_id")
    partner = IdFilter(field_name="partner_id")

    class Meta:
        model = Pathway
        fields = ["arena", "stage", "outcome"]
