"""Follow-up lists for the coordinator: who has stopped coming, which activities have too few.

Each list runs a fixed number of queries whatever the size of the network. Only sessions where
attendance was taken count (a session nobody marked says nothing about who came).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from accounts.models import User
from activities.choices import AttendanceStatus, RegistrationStatus, SessionStatus
from activities.models import Activity, Attendance, Registration, Session
from activities.selectors.activities import activities_for_user, only_visible, people_visible_to
from people.models import Person

ABSENT_IN_A_ROW = 3
QUIET_DAYS = 60
FEW_PARTICIPANTS = 3
SESSIONS_AVERAGED = 5


def _marked_sessions(*, actor: User, now: dt.datetime, last: int) -> QuerySet[Session]:
    """The ``last`` sessions with attendance taken of each of the actor's active activities, newest first."""
    return (
        Session.objects.filter(
            activity__in=activities_for_user(actor=actor).filter(is_active=True).values("pk"),
            status=SessionStatus.SCHEDULED,
            starts_at__lte=now,
        )
        .filter(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("activity_id")], order_by=[F("starts_at").desc(), F("id").desc()]
            )
        )
        .filter(recency__lte=last)
    )


def absent_in_a_row(*, actor: User, now: dt.datetime) -> list[Registration]:
    """Registrations whose person was marked absent at each of the activity's last three marked sessions."""
    sessions = list(_marked_sessions(actor=actor, now=now, last=ABSENT_IN_A_ROW).values_list("pk", flat=True))
    if not sessions:
        return []
    still_registered = Registration.objects.filter(
        person=OuterRef("person_id"),
        activity=OuterRef("session__activity_id"),
        status=RegistrationStatus.REGISTERED,
    )
    pairs = set(
        Attendance.objects.filter(session__in=sessions, status=AttendanceStatus.ABSENT)
        .filter(Exists(still_registered))
        .values("person_id", "session__activity_id")
        .annotate(absences=Count("id"))
        .filter(absences=ABSENT_IN_A_ROW)
        .values_list("person_id", "session__activity_id")
    )
    if not pairs:
        return []
    registrations = (
        only_visible(
            Registration.objects.filter(
                status=RegistrationStatus.REGISTERED,
                person_id__in={person for person, _ in pairs},
                activity_id__in={activity for _, activity in pairs},
            ),
            actor=actor,
        )
        .select_related("person", "activity")
        .order_by("activity__title", "person__first_name", "person__last_name", "id")
    )
    return [r for r in registrations if (r.person_id, r.activity_id) in pairs]


def quiet_people(*, actor: User, now: dt.datetime) -> QuerySet[Person]:
    """People who came before but not in the last 60 days, and people registered that long who never came.

    Annotated with ``last_present`` (None: never); the longest quiet first.
    """
    cutoff = now - dt.timedelta(days=QUIET_DAYS)
    registered_long_ago = Registration.objects.filter(
        person=OuterRef("pk"), status=RegistrationStatus.REGISTERED, created_at__lt=cutoff
    )
    return (
        people_visible_to(actor=actor)
        .filter(erased_at__isnull=True)
        .annotate(
            last_present=Max(
                "attendances__session__starts_at", filter=Q(attendances__status=AttendanceStatus.PRESENT)
            )
        )
        .filter(Q(last_present__lt=cutoff) | Q(last_present__isnull=True) & Exists(registered_long_ago))
        .order_by(F("last_present").asc(nulls_first=True), "first_name", "last_name", "id")
    )


@dataclass(frozen=True)
class SmallActivity:
    activity: Activity
    average: float
    sessions: int


def activities_with_few_participants(*, actor: User, now: dt.datetime) -> list[SmallActivity]:
    """Active activities averaging below three present over their last five marked sessions."""
    rows = (
        _marked_sessions(actor=actor, now=now, last=SESSIONS_AVERAGED)
        .annotate(present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)))
        .values_list("activity_id", "present")
    )
    counts: dict[int, list[int]] = defaultdict(list)
    for activity_id, present in rows:
        counts[activity_id].append(present)
    small = {
        activity_id: sum(values) / len(values)
        for activity_id, values in counts.items()
        if sum(values) / len(values) < FEW_PARTICIPANTS
    }
    if not small:
        return []
    activities = Activity.objects.filter(pk__in=small).order_by("title", "id")
    return [
        SmallActivity(activity, round(small[activity.pk], 1), len(counts[activity.pk]))
        for activity in activities
    ]
