"""Attendance: a leader marks a whole session in one request, adds walk-ins and logs their own time.

Saving a sheet runs a fixed number of queries whatever its size (bulk inserts and one bulk update), and
every correction of an earlier mark is written to AttendanceChange: who, when, before, after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.models import Attendance, AttendanceChange, AttendanceStatus, Session, VolunteerHours
from activities.selectors.activities import attendance_sheet_person_ids, can_take_attendance
from core.errors import CoreError, full_clean_or_raise
from core.signals import counted_data_changed
from people.models import Gender, Person, PersonGroup

MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class WalkIn:
    """The few things asked of someone who turns up without being registered."""

    first_name: str
    birth_year: int | None
    gender: str = Gender.NOT_STATED
    group: str = PersonGroup.NEWCOMER


@dataclass
class SheetResult:
    created: int = 0
    changed: int = 0
    walk_in: Person | None = None
    hours: VolunteerHours | None = None
    changes: list[AttendanceChange] = field(default_factory=list)


def _check_session(actor: User, session: Session) -> None:
    if not can_take_attendance(actor=actor, session=session):
        raise CoreError(_("Only the session's leaders and coordinators can take attendance."))
    if session.is_cancelled:
        raise CoreError(_("The session is cancelled: there is no attendance to take."))
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise CoreError(_("Attendance can be taken from the day of the session."))


@transaction.atomic
def attendance_sheet_save(
    *,
    actor: User,
    session: Session,
    marks: Mapping[int, str],
    rest_absent: bool = False,
    walk_in: WalkIn | None = None,
    minutes: int | None = None,
) -> SheetResult:
    """Save a whole attendance sheet, an optional walk-in and the actor's own time, all or nothing.

    ``marks`` maps person id → present/excused/absent, for people on the sheet the actor may see.
    ``rest_absent`` marks everyone else on the sheet who has no mark yet as absent, so a leader only
    needs to tick who came.
    """
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    on_sheet = _check_sheet(actor=actor, session=locked, marks=marks, walk_in=walk_in, minutes=minutes)
    result = SheetResult()
    now = timezone.now()
    _marks_save(
        actor=actor,
        session=locked,
        marks=marks,
        on_sheet=on_sheet,
        rest_absent=rest_absent,
        now=now,
        result=result,
    )
    if walk_in is not None:
        result.walk_in = _walk_in_add(actor=actor, session=locked, walk_in=walk_in)
    if minutes is not None:
        result.hours = _hours_log(actor=actor, session=locked, minutes=minutes)
    if result.created or result.changed or walk_in is not None or minutes is not None:
        counted_data_changed(day=min(locked.starts_at, now))
    return result


def _check_sheet(
    *, actor: User, session: Session, marks: Mapping[int, str], walk_in: WalkIn | None, minutes: int | None
) -> set[int]:
    """Check the whole sheet before anything is written; return the ids of the people on it."""
    _check_session(actor, session)
    for status in marks.values():
        if status not in AttendanceStatus.values:
            raise CoreError(_("Choose present, excused or absent."))
    on_sheet = attendance_sheet_person_ids(actor=actor, session=session)
    if set(marks) - on_sheet:
        raise CoreError(_("Someone on the list is not registered in this activity. Reload the page."))
    # Validate the rest before writing anything, so a bad walk-in or time does not leave marks behind.
    if walk_in is not None:
        _check_walk_in(walk_in)
    if minutes is not None:
        _check_minutes(minutes)
    return on_sheet


def _marks_save(
    *,
    actor: User,
    session: Session,
    marks: Mapping[int, str],
    on_sheet: set[int],
    rest_absent: bool,
    now: dt.datetime,
    result: SheetResult,
) -> None:
    """Write the marks in bulk (a fixed number of queries), each correction with its AttendanceChange."""
    existing = {a.person_id: a for a in Attendance.objects.filter(session=session, person_id__in=on_sheet)}
    if rest_absent:
        marks = {**{pid: AttendanceStatus.ABSENT for pid in on_sheet - set(existing)}, **marks}
    new_rows = []
    changed_rows = []
    for person_id, status in marks.items():
        attendance = existing.get(person_id)
        if attendance is None:
            new_rows.append(
                Attendance(
                    session=session, person_id=person_id, status=status, recorded_by=actor, recorded_at=now
                )
            )
        elif attendance.status != status:
            result.changes.append(
                AttendanceChange(
                    attendance=attendance, changed_by=actor, before=attendance.status, after=status
                )
            )
            attendance.status = status
            attendance.recorded_by = actor
            attendance.recorded_at = now  # bulk_update skips auto_now
            changed_rows.append(attendance)
    if new_rows:
        Attendance.objects.bulk_create(new_rows)
    if changed_rows:
        Attendance.objects.bulk_update(changed_rows, ["status", "recorded_by", "recorded_at"])
    if result.changes:
        AttendanceChange.objects.bulk_create(result.changes)
    result.created = len(new_rows)
    result.changed = len(changed_rows)


def _check_walk_in(walk_in: WalkIn) -> None:
    if not walk_in.first_name.strip():
        raise CoreError(_("Give the walk-in's first name."), field="walk_in_first_name")
    this_year = timezone.localdate().year
    if walk_in.birth_year is not None and not 1900 <= walk_in.birth_year <= this_year:
        raise CoreError(
            _("Give a birth year between 1900 and %(year)s.") % {"year": this_year},
            field="walk_in_birth_year",
        )
    if walk_in.gender not in Gender.values:
        raise CoreError(_("Choose a gender."), field="walk_in_gender")
    if walk_in.group not in PersonGroup.values:
        raise CoreError(_("Choose newcomer or established."), field="walk_in_group")


def _check_minutes(minutes: int) -> None:
    if not 1 <= minutes <= MAX_MINUTES:
        raise CoreError(_("Give your time in minutes, from 1 to 1440 (a day)."), field="minutes")


def _walk_in_add(*, actor: User, session: Session, walk_in: WalkIn) -> Person:
    # The duplicate check of the people pages is wired in when the two halves are merged; a walk-in is
    # created with the minimum the leader can ask at the door.
    person = Person(
        first_name=walk_in.first_name.strip(),
        birth_year=walk_in.birth_year,
        gender=walk_in.gender,
        group=walk_in.group,
        created_by=actor,
    )
    full_clean_or_raise(person)
    person.save()
    Attendance.objects.create(
        session=session, person=person, status=AttendanceStatus.PRESENT, is_walk_in=True, recorded_by=actor
    )
    return person


def _hours_log(*, actor: User, session: Session, minutes: int) -> VolunteerHours:
    hours, _created = VolunteerHours.objects.update_or_create(
        user=actor,
        session=session,
        defaults={
            "activity_id": session.activity_id,
            "date": timezone.localdate(session.starts_at),
            "minutes": minutes,
        },
    )
    return hours


@transaction.atomic
def walk_in_add(*, actor: User, session: Session, walk_in: WalkIn) -> Person:
    """A new person who came without registering, marked present at the session."""
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    _check_session(actor, locked)
    _check_walk_in(walk_in)
    person = _walk_in_add(actor=actor, session=locked, walk_in=walk_in)
    counted_data_changed(day=min(locked.starts_at, timezone.now()))
    return person


@transaction.atomic
def volunteer_hours_log(*, actor: User, session: Session, minutes: int) -> VolunteerHours:
    """The actor's own time at a session; logging again replaces the earlier figure."""
    locked = Session.objects.select_for_update().select_related("activity").get(pk=session.pk)
    _check_session(actor, locked)
    _check_minutes(minutes)
    hours = _hours_log(actor=actor, session=locked, minutes=minutes)
    counted_data_changed(day=hours.date)
    return hours
