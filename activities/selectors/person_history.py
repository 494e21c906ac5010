"""What ``activities`` adds to the rules and pages of the apps below it (``people.extensions``,
``partners.extensions``).

A volunteer reaches the people registered in, or who attended, the activities they lead; a person's and a
household's pages show each person's open registrations and latest attendance; a partner's page its
activities.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from activities.choices import AttendanceStatus, RegistrationStatus
from activities.models import Activity, Attendance, Registration
from partners.models import Partner
from people.models import Person
from people.selectors.people import sees_register

RECENT_ATTENDANCES = 5


def activities_led_by(user: User) -> QuerySet[Activity]:
    return Activity.objects.filter(leaders=user)


def volunteer_reach_through_activities(user: User) -> Q:
    """The people registered in (or who attended) an activity ``user`` leads."""
    led = activities_led_by(user)
    registered = Registration.objects.filter(person=OuterRef("pk"), activity__in=led).exclude(
        status=RegistrationStatus.CANCELLED
    )
    # Walk-ins may have attendance without a registration; their leader still needs to see them.
    attended = Attendance.objects.filter(person=OuterRef("pk"), session__activity__in=led)
    return Q(Exists(registered)) | Q(Exists(attended))


def _registrations_for(user: User | None) -> QuerySet[Registration]:
    registrations = (
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("activity")
        .order_by("activity__title", "id")
    )
    if user is not None and not sees_register(user):
        registrations = registrations.filter(activity__in=activities_led_by(user))
    return registrations


def _attendances_for(user: User | None) -> QuerySet[Attendance]:
    attendances = Attendance.objects.select_related("session__activity").order_by(
        "-session__starts_at", "-id"
    )
    if user is not None and not sees_register(user):
        attendances = attendances.filter(session__activity__in=activities_led_by(user))
    return attendances


def with_activity_history(people: QuerySet[Person], user: User | None) -> QuerySet[Person]:
    """Each person's open registrations, latest attendances and count present, in a fixed number of
    queries, limited to the activities ``user`` may see."""
    attendances = _attendances_for(user)
    present = (
        attendances.filter(person=OuterRef("pk"), status=AttendanceStatus.PRESENT)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return people.annotate(
        present_count=Coalesce(Subquery(present, output_field=IntegerField()), Value(0))
    ).prefetch_related(
        Prefetch("registrations", queryset=_registrations_for(user), to_attr="open_registrations"),
        Prefetch("attendances", queryset=attendances[:RECENT_ATTENDANCES], to_attr="recent_attendances"),
    )


def with_partner_activities(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    """Each partner's activities, by title: one query."""
    return partners.prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("title", "id"))
    )
