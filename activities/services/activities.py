"""Writes of activities, their sessions and registrations.

Sessions are generated from an activity's schedule in the network's local time (Europe/Stockholm), so a
weekly 18:00 session stays at 18:00 across the change to and from summer time. Generation is idempotent
on ``scheduled_start``: running it again creates nothing twice, and a moved session keeps its original
``scheduled_start``, so regenerating never brings back the old time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import STAFF
from activities.models import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    Audience,
    Registration,
    RegistrationStatus,
    ScheduleKind,
    Session,
    SessionStatus,
    VolunteerHours,
)
from activities.selectors.activities import people_with_contact
from core.errors import CoreError, full_clean_or_raise
from core.signals import counted_data_changed
from partners.models import Partner
from people.models import Person

# A weekly schedule may span at most this long: enough for a school year or two, and it bounds how many
# sessions one form post can create.
MAX_SCHEDULE_DAYS = 2 * 366
MAX_SINGLE_DATES = 100


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """``day`` at ``time`` on the network's wall clock, as an aware datetime in UTC."""
    return dt.datetime.combine(day, time, tzinfo=local_zone()).astimezone(dt.UTC)


@dataclass(frozen=True)
class Schedule:
    kind: str = ScheduleKind.WEEKLY
    weekdays: tuple[int, ...] = ()
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    # Single dates: sessions to add on these days at start_time–end_time (existing ones are kept).
    dates: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class ActivityData:
    title: str
    category: str
    schedule: Schedule
    description: str = ""
    arena: str = Arena.GENERAL
    audience: str = Audience.ALL
    partner: Partner | None = None
    place: str = ""
    leaders: Sequence[User] = ()
    capacity: int | None = None
    languages: Sequence[str] = ()
    is_public: bool = True
    is_active: bool = True


@dataclass
class NoticePlan:
    """Who was told of a change by e-mail, and whom the coordinator must phone."""

    emailed: list[Person] = field(default_factory=list)
    to_phone: list[Person] = field(default_factory=list)


def _validate_schedule(schedule: Schedule) -> None:
    if schedule.kind not in ScheduleKind.values:
        raise CoreError(_("Choose weekly or single dates."), field="schedule_kind")
    times_needed = schedule.kind == ScheduleKind.WEEKLY or bool(schedule.dates)
    if times_needed and (schedule.start_time is None or schedule.end_time is None):
        raise CoreError(_("Give the time the sessions start and end."), field="start_time")
    if schedule.start_time and schedule.end_time and schedule.end_time <= schedule.start_time:
        raise CoreError(_("The end time must be after the start time."), field="end_time")
    if schedule.starts_on and schedule.ends_on and schedule.ends_on < schedule.starts_on:
        raise CoreError(_("The last date must be on or after the first date."), field="ends_on")
    if schedule.kind == ScheduleKind.WEEKLY:
        if not schedule.weekdays:
            raise CoreError(_("Choose at least one weekday."), field="weekdays")
        if any(day not in range(7) for day in schedule.weekdays):
            raise CoreError(_("Choose weekdays from Monday to Sunday."), field="weekdays")
        if schedule.starts_on is None or schedule.ends_on is None:
            raise CoreError(_("Give the first and the last date of a weekly schedule."), field="starts_on")
        if (schedule.ends_on - schedule.starts_on).days > MAX_SCHEDULE_DAYS:
            raise CoreError(_("A weekly schedule may span at most two years."), field="ends_on")
    if len(schedule.dates) > MAX_SINGLE_DATES:
        raise CoreError(_("Add at most 100 dates at a time."), field="dates")


def _validate_activity(data: ActivityData) -> None:
    if data.capacity is not None and data.capacity < 0:
        raise CoreError(_("The capacity cannot be below zero."), field="capacity")
    for leader in data.leaders:
        if not leader.is_active or leader.is_superuser or leader.role not in STAFF:
            raise CoreError(_("%(name)s cannot lead activities.") % {"name": leader}, field="leaders")
    _validate_schedule(data.schedule)


def _apply(activity: Activity, data: ActivityData) -> None:
    activity.title = data.title.strip()
    activity.description = data.description
    activity.category = data.category
    activity.arena = data.arena
    activity.audience = data.audience
    activity.partner = data.partner
    activity.place = data.place
    activity.capacity = data.capacity
    activity.languages = sorted({code.strip().lower() for code in data.languages if code.strip()})
    activity.is_public = data.is_public
    activity.is_active = data.is_active
    schedule = data.schedule
    activity.schedule_kind = schedule.kind
    activity.weekdays = sorted(set(schedule.weekdays)) if schedule.kind == ScheduleKind.WEEKLY else []
    activity.start_time = schedule.start_time
    activity.end_time = schedule.end_time
    activity.starts_on = schedule.starts_on
    activity.ends_on = schedule.ends_on
    if schedule.kind == ScheduleKind.SINGLE and schedule.dates:
        activity.starts_on = activity.starts_on or min(schedule.dates)
        activity.ends_on = activity.ends_on or max(schedule.dates)


@transaction.atomic
def activity_create(*, actor: User, data: ActivityData) -> Activity:
    """Create an activity and every session its schedule gives, past ones included."""
    _validate_activity(data)
    if data.category not in ActivityCategory.values:
        raise CoreError(_("Choose a category."), field="category")
    activity = Activity()
    _apply(activity, data)
    full_clean_or_raise(activity)
    activity.save()
    activity.leaders.set(data.leaders)
    sessions_generate(activity=activity, since=None, dates=data.schedule.dates)
    if activity.starts_on is None or activity.starts_on <= timezone.localdate():
        counted_data_changed(day=activity.starts_on)  # sessions already past are held sessions
    return activity


@transaction.atomic
def activity_update(*, actor: User, activity: Activity, data: ActivityData) -> Activity:
    """Change an activity. Future sessions follow the new schedule; past, moved and marked ones stay."""
    _validate_activity(data)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    previous = schedule_occurrences(locked)
    counted_before = (locked.category, locked.arena, set(locked.leaders.values_list("pk", flat=True)))
    _apply(locked, data)
    full_clean_or_raise(locked)
    locked.save()
    locked.leaders.set(data.leaders)
    if (locked.category, locked.arena, {leader.pk for leader in data.leaders}) != counted_before:
        # Every figure by category and arena, and LOK-stöd's "led" sessions, in every year.
        counted_data_changed(day=None)
    sessions_generate(activity=locked, since=timezone.now(), previous=previous, dates=data.schedule.dates)
    # More seats may have opened: the first on the waiting list get them.
    waitlist_promote(activity=locked)
    return locked


def schedule_occurrences(activity: Activity) -> dict[dt.datetime, dt.datetime]:
    """Start → end (UTC) of every session a weekly schedule gives, on the local wall clock."""
    if (
        activity.schedule_kind != ScheduleKind.WEEKLY
        or activity.start_time is None
        or activity.end_time is None
        or activity.starts_on is None
        or activity.ends_on is None
    ):
        return {}
    weekdays = set(activity.weekdays)
    occurrences = {}
    day = activity.starts_on
    while day <= activity.ends_on:
        if day.weekday() in weekdays:
            occurrences[local_datetime(day, activity.start_time)] = local_datetime(day, activity.end_time)
        day += dt.timedelta(days=1)
    return occurrences


def _adjustable(session: Session, since: dt.datetime | None) -> bool:
    """Whether a schedule change may remove the session or change its end: never one that happened."""
    return (
        since is not None
        and session.scheduled_start >= since
        and not session.is_moved
        and not session.is_cancelled
        and not session.has_marks  # type: ignore[attr-defined]  # annotated by sessions_generate
        and not session.has_hours  # type: ignore[attr-defined]  # annotated by sessions_generate
    )


def sessions_generate(
    *,
    activity: Activity,
    since: dt.datetime | None,
    previous: dict[dt.datetime, dt.datetime] | None = None,
    dates: Iterable[dt.date] = (),
) -> tuple[int, int]:
    """Bring the sessions in line with the schedule; returns (created, removed).

    ``since`` None (a new activity) creates every session the schedule gives, past ones included.
    Otherwise only sessions planned from ``since`` on are created, and only sessions the ``previous``
    schedule gave and the new one does not are removed (or given the new end time), never one that was
    moved, cancelled, marked or has volunteer hours: what happened, and what people were told, stays
    true. Sessions added one by one are not part of any schedule and stay. ``dates`` are single dates
    typed in by the coordinator: they are created even when they lie in the past.
    """
    weekly = schedule_occurrences(activity)
    wanted = {start: end for start, end in weekly.items() if since is None or start >= since}
    if activity.start_time and activity.end_time:
        for day in dates:
            wanted[local_datetime(day, activity.start_time)] = local_datetime(day, activity.end_time)
    existing = {
        session.scheduled_start: session
        for session in Session.objects.filter(activity=activity).annotate(
            has_marks=Exists(Attendance.objects.filter(session=OuterRef("pk"))),
            has_hours=Exists(VolunteerHours.objects.filter(session=OuterRef("pk"))),
        )
    }
    removed = []
    changed_end = []
    for start in previous or {}:
        session = existing.get(start)
        if session is None or not _adjustable(session, since):
            continue
        if start not in weekly:
            removed.append(session.pk)
        elif session.ends_at != weekly[start]:
            session.ends_at = weekly[start]
            changed_end.append(session)
    if removed:
        Session.objects.filter(pk__in=removed).delete()
    if changed_end:
        Session.objects.bulk_update(changed_end, ["ends_at"])
    new = [
        Session(activity=activity, starts_at=start, ends_at=end, scheduled_start=start)
        for start, end in sorted(wanted.items())
        if start not in existing
    ]
    # ignore_conflicts: a session planned at the same moment by a concurrent edit is the same session.
    Session.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(removed)


@transaction.atomic
def session_add(
    *,
    actor: User,
    activity: Activity,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    place: str = "",
) -> Session:
    """One extra session on a given date (single dates, or an extra meeting of a weekly activity)."""
    if end_time <= start_time:
        raise CoreError(_("The end time must be after the start time."), field="end_time")
    start = local_datetime(date, start_time)
    if Session.objects.filter(activity=activity, scheduled_start=start).exists():
        raise CoreError(_("The activity already has a session at that time."), field="date")
    session = Session(
        activity=activity,
        starts_at=start,
        ends_at=local_datetime(date, end_time),
        scheduled_start=start,
        place=place,
    )
    full_clean_or_raise(session)
    session.save()
    if session.starts_at <= timezone.now():
        counted_data_changed(day=session.starts_at)
    return session


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str) -> NoticePlan:
    """Cancel a session and tell the people registered; returns who got e-mail and whom to phone."""
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    reason = reason.strip()
    if not reason:
        raise CoreError(
            _("Say why the session is cancelled: the people registered are told."), field="reason"
        )
    if locked.is_cancelled:
        raise CoreError(_("The session is already cancelled."))
    if Attendance.objects.filter(session=locked, status="present").exists():
        raise CoreError(_("People were marked present at this session: it took place."))
    locked.status = SessionStatus.CANCELLED
    locked.cancel_reason = reason
    full_clean_or_raise(locked)
    locked.save(update_fields=["status", "cancel_reason"])
    counted_data_changed(day=locked.starts_at)
    return _notify_registered(locked, kind="cancelled")


@transaction.atomic
def session_move(
    *,
    actor: User,
    session: Session,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    place: str,
) -> NoticePlan:
    """Give a session a new time and/or place and tell the people registered."""
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    if locked.is_cancelled:
        raise CoreError(_("A cancelled session cannot be moved."))
    if end_time <= start_time:
        raise CoreError(_("The end time must be after the start time."), field="end_time")
    starts_at = local_datetime(date, start_time)
    ends_at = local_datetime(date, end_time)
    place = place.strip()
    if (starts_at, ends_at, place) == (locked.starts_at, locked.ends_at, locked.place):
        raise CoreError(_("Nothing was changed: give a new time or place."))
    moved_from = locked.starts_at
    locked.starts_at = starts_at
    locked.ends_at = ends_at
    locked.place = place
    full_clean_or_raise(locked)
    locked.save(update_fields=["starts_at", "ends_at", "place"])
    counted_data_changed(day=min(moved_from, starts_at))
    return _notify_registered(locked, kind="moved")


def _notify_registered(session: Session, *, kind: str) -> NoticePlan:
    from activities.tasks import send_session_notice

    plan = NoticePlan()
    for person in people_with_contact(activity=session.activity):
        if person.may_email:  # type: ignore[attr-defined]
            plan.emailed.append(person)
        else:
            plan.to_phone.append(person)
    if plan.emailed:
        # After commit: a rolled-back change must not have been announced; the task reads what was saved.
        transaction.on_commit(
            partial(
                send_session_notice.delay,
                session_id=session.pk,
                kind=kind,
                person_ids=[person.pk for person in plan.emailed],
            )
        )
    return plan


@transaction.atomic
def registration_create(*, actor: User, activity: Activity, person: Person) -> Registration:
    """Give ``person`` a seat, or a place on the waiting list when the activity is full.

    The activity's row is locked while seats are counted: two people taking the last seat at the same
    moment are served one after the other, so one gets it and the other is waitlisted.
    """
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if not locked.is_active:
        raise CoreError(_("The activity is not active: nobody can register."))
    if person.is_erased:
        raise CoreError(_("This person has been anonymised."))
    if (
        Registration.objects.filter(activity=locked, person=person)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise CoreError(
            _("%(name)s is already registered or on the waiting list.") % {"name": person.full_name}
        )
    taken = Registration.objects.filter(activity=locked, status=RegistrationStatus.REGISTERED).count()
    has_seat = locked.capacity is None or taken < locked.capacity
    registration = Registration(
        activity=locked,
        person=person,
        status=RegistrationStatus.REGISTERED if has_seat else RegistrationStatus.WAITLISTED,
        registered_by=actor,
    )
    full_clean_or_raise(registration)
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> NoticePlan:
    """Cancel a registration; a freed seat goes to the first on the waiting list, who is told."""
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        raise CoreError(_("The registration is already cancelled."))
    locked.status = RegistrationStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    return waitlist_promote(activity=activity)


def waitlist_promote(*, activity: Activity) -> NoticePlan:
    """Fill free seats from the waiting list, first come first served. Call with the activity locked."""
    from activities.tasks import send_waitlist_promotion

    waiting = Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    if activity.capacity is not None:
        taken = Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED).count()
        waiting = waiting[: max(activity.capacity - taken, 0)]
    promoted = list(waiting.values_list("pk", "person_id"))
    plan = NoticePlan()
    if not promoted:
        return plan
    Registration.objects.filter(pk__in=[pk for pk, _person in promoted]).update(
        status=RegistrationStatus.REGISTERED
    )
    for person in people_with_contact(person_ids=[person_id for _pk, person_id in promoted]):
        (plan.emailed if person.may_email else plan.to_phone).append(person)  # type: ignore[attr-defined]
    if plan.emailed:
        transaction.on_commit(
            partial(
                send_waitlist_promotion.delay,
                activity_id=activity.pk,
                person_ids=[person.pk for person in plan.emailed],
            )
        )
    return plan
