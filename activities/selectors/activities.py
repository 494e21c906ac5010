"""Reads of activities, sessions, registrations and attendance, always on behalf of an acting user.

Who sees what: admins and coordinators see every activity and every person. A volunteer sees only the
activities they lead and the people in them (registered, or marked at one of their sessions), never a
person with protected identity. The rule itself lives in one place, people.selectors.people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Count, Exists, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGERS, STAFF, Role
from activities.choices import AttendanceStatus, RegistrationStatus, SessionStatus
from activities.models import Activity, Attendance, AttendanceChange, Registration, Session
from people.choices import ConsentPurpose
from people.models import Consent, Person
from people.selectors.people import people_visible_to

M = TypeVar("M", bound=Model)


def is_manager(user: User) -> bool:
    """Admins and coordinators run the network: every activity, every person, every write."""
    return user.is_authenticated and user.has_role(*MANAGERS)


def activities_for_user(*, actor: User) -> QuerySet[Activity]:
    if is_manager(actor):
        return Activity.objects.all()
    if actor.is_authenticated and actor.has_role(Role.VOLUNTEER):
        return Activity.objects.filter(leaders=actor)
    return Activity.objects.none()


def only_visible(queryset: QuerySet[M], *, actor: User, person_field: str = "person") -> QuerySet[M]:
    """``queryset`` narrowed to rows whose person ``actor`` may see. Managers see everyone, so their
    queries get no extra condition (a semi-join over every person would cost for nothing)."""
    if is_manager(actor):
        return queryset
    return queryset.filter(**{f"{person_field}__in": people_visible_to(actor=actor).values("pk")})


def get_activity_for_actor(*, actor: User, pk: int) -> Activity:
    """The activity, or the same 404 whether it is missing or not the user's."""
    activity = (
        activities_for_user(actor=actor)
        .select_related("partner")
        .prefetch_related(Prefetch("leaders", queryset=User.objects.order_by("full_name", "email")))
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def get_session_for_actor(*, actor: User, pk: int) -> Session:
    session = (
        Session.objects.filter(activity__in=activities_for_user(actor=actor).values("pk"))
        .select_related("activity")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def can_take_attendance(*, actor: User, session: Session) -> bool:
    """Managers for every session; a volunteer for the sessions of activities they lead."""
    if is_manager(actor):
        return True
    return actor.has_role(Role.VOLUNTEER) and session.activity.leaders.filter(pk=actor.pk).exists()


def activity_list(*, actor: User, search: str = "", category: str = "") -> QuerySet[Activity]:
    """Activities with their number of registered people and their next session, in two queries at most."""
    now = timezone.now()
    next_session = Session.objects.filter(
        activity=OuterRef("pk"), starts_at__gte=now, status=SessionStatus.SCHEDULED
    ).order_by("starts_at")
    activities = (
        activities_for_user(actor=actor)
        .select_related("partner")
        .annotate(
            registered_count=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
                distinct=True,
            ),
            next_session_at=Subquery(next_session.values("starts_at")[:1]),
        )
        .order_by("-is_active", "title", "id")
    )
    if search:
        activities = activities.filter(Q(title__icontains=search) | Q(place__icontains=search))
    if category:
        activities = activities.filter(category=category)
    return activities


def activity_sessions(*, activity: Activity, upcoming: bool, limit: int) -> list[Session]:
    """The next (or the latest) sessions of an activity, with how many were present."""
    now = timezone.now()
    sessions = Session.objects.filter(activity=activity).annotate(
        present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT))
    )
    if upcoming:
        return list(sessions.filter(ends_at__gte=now).order_by("starts_at")[:limit])
    return list(sessions.filter(ends_at__lt=now).order_by("-starts_at")[:limit])


def activity_registrations(*, actor: User, activity: Activity) -> QuerySet[Registration]:
    """Open registrations (registered first, then the waiting list in order) of people the actor may see."""
    registrations = Registration.objects.filter(activity=activity).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return (
        only_visible(registrations, actor=actor)
        .select_related("person")
        .order_by("status", "created_at", "id")
    )


def sessions_for_user(
    *, actor: User, starts_from: dt.datetime | None = None, starts_before: dt.datetime | None = None
) -> QuerySet[Session]:
    """The sessions of the activities ``actor`` sees (those starting in the window, when given), in time
    order, with how many were present and how many marked."""
    sessions = (
        Session.objects.filter(activity__in=activities_for_user(actor=actor).values("pk"))
        .select_related("activity")
        .annotate(
            present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            marked_count=Count("attendances"),
        )
        .order_by("starts_at", "id")
    )
    if starts_from is not None:
        sessions = sessions.filter(starts_at__gte=starts_from)
    if starts_before is not None:
        sessions = sessions.filter(starts_at__lt=starts_before)
    return sessions


def registrations_for_user(*, actor: User) -> QuerySet[Registration]:
    """Every registration, cancelled ones and the waiting lists too, in the activities ``actor`` sees, of
    the people they see; oldest first."""
    registrations = Registration.objects.filter(activity__in=activities_for_user(actor=actor).values("pk"))
    return only_visible(registrations, actor=actor).order_by("created_at", "id")


def attendance_for_user(*, actor: User) -> QuerySet[Attendance]:
    """Every attendance mark at the sessions of the activities ``actor`` sees, of the people they see;
    session by session."""
    marks = Attendance.objects.filter(session__activity__in=activities_for_user(actor=actor).values("pk"))
    return only_visible(marks, actor=actor).order_by("session_id", "id")


def latest_sessions_for_user(*, actor: User, now: dt.datetime, limit: int) -> QuerySet[Session]:
    """The user's sessions that have begun, newest first: where attendance is taken or corrected."""
    return (
        Session.objects.filter(activity__in=activities_for_user(actor=actor).values("pk"))
        .filter(starts_at__lte=now, status=SessionStatus.SCHEDULED)
        .select_related("activity")
        .annotate(
            present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            marked_count=Count("attendances"),
        )
        .order_by("-starts_at", "-id")[:limit]
    )


@dataclass
class SheetRow:
    """One line of the attendance sheet: a person and their mark at this session, if any."""

    person: Person
    status: str
    is_walk_in: bool
    is_registered: bool


def attendance_sheet(*, actor: User, session: Session) -> list[SheetRow]:
    """Everyone registered in the activity plus anyone already marked, in two queries whatever the size."""
    rows: dict[int, SheetRow] = {}
    registrations = Registration.objects.filter(
        activity_id=session.activity_id, status=RegistrationStatus.REGISTERED
    ).select_related("person")
    for registration in only_visible(registrations, actor=actor):
        rows[registration.person_id] = SheetRow(registration.person, "", False, True)
    marks = Attendance.objects.filter(session=session).select_related("person")
    for attendance in only_visible(marks, actor=actor):
        row = rows.get(attendance.person_id)
        if row is None:
            rows[attendance.person_id] = SheetRow(
                attendance.person, attendance.status, attendance.is_walk_in, False
            )
        else:
            row.status = attendance.status
            row.is_walk_in = attendance.is_walk_in
    return sorted(
        rows.values(),
        key=lambda row: (row.person.first_name.lower(), row.person.last_name.lower(), row.person.pk),
    )


def attendance_sheet_person_ids(*, actor: User, session: Session) -> set[int]:
    """The people whose mark ``actor`` may set at this session (the rows of the sheet), in one query."""
    registered = Registration.objects.filter(
        activity_id=session.activity_id, status=RegistrationStatus.REGISTERED
    ).values("person_id")
    marked = Attendance.objects.filter(session=session).values("person_id")
    people = Person.objects.filter(Q(pk__in=registered) | Q(pk__in=marked))
    return set(only_visible(people, actor=actor, person_field="pk").values_list("pk", flat=True))


def session_attendance_counts(*, session: Session) -> dict[str, int]:
    counts = dict(
        Attendance.objects.filter(session=session)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in AttendanceStatus.values}


def session_changes(*, actor: User, session: Session, limit: int = 200) -> QuerySet[AttendanceChange]:
    """Corrections of the marks at a session, newest first, of people the actor may see."""
    return (
        only_visible(
            AttendanceChange.objects.filter(attendance__session=session),
            actor=actor,
            person_field="attendance__person",
        )
        .select_related("attendance__person", "changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )


def contact_consent_in_force() -> Subquery:
    """Whether the newest 'contact' consent of the outer person is given (None when never asked)."""
    return Subquery(
        Consent.objects.filter(person=OuterRef("pk"), purpose=ConsentPurpose.CONTACT)
        .order_by("-recorded_at", "-id")
        .values("given")[:1]
    )


def people_with_contact(
    *, person_ids: list[int] | None = None, activity: Activity | None = None
) -> list[Person]:
    """People (by id, or those registered in ``activity``) with ``contact_ok`` and ``may_email`` set."""
    people = Person.objects.filter(erased_at__isnull=True).annotate(contact_ok=contact_consent_in_force())
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    if activity is not None:
        people = people.filter(
            registrations__activity=activity, registrations__status=RegistrationStatus.REGISTERED
        )
    result: list[Person] = list(people.order_by("first_name", "last_name", "id"))
    for person in result:
        person.may_email = bool(person.email) and person.contact_ok is True  # type: ignore[attr-defined]
    return result


def session_people_to_phone(*, actor: User, session: Session) -> list[Person]:
    """After a session was cancelled or moved: the registered people e-mail could not reach."""
    if not (session.is_cancelled or session.is_moved) or not is_manager(actor):
        return []
    return [
        person
        for person in people_with_contact(activity=session.activity)
        if not person.may_email  # type: ignore[attr-defined]
    ]


def leader_choices() -> QuerySet[User]:
    """Who may lead an activity: active users of this network working in it (board members do not)."""
    return User.objects.filter(is_active=True, is_superuser=False, role__in=STAFF).order_by(
        "full_name", "email"
    )


def people_search(
    *, actor: User, search: str, exclude_activity: Activity | None = None, limit: int = 20
) -> list[Person]:
    """A short list of people matching a name, phone or e-mail, for registering someone."""
    search = search.strip()
    if not search:
        return []
    people = people_visible_to(actor=actor).filter(erased_at__isnull=True)
    for word in search.split()[:3]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(phone__icontains=word)
            | Q(email__icontains=word)
        )
    if exclude_activity is not None:
        people = people.exclude(
            Exists(
                Registration.objects.filter(person=OuterRef("pk"), activity=exclude_activity).exclude(
                    status=RegistrationStatus.CANCELLED
                )
            )
        )
    return list(people.select_related("household").order_by("first_name", "last_name", "id")[:limit])
