"""Figures for the coordinator's start page: this month, the last twelve months, what is coming up.

Counts follow the funders' words (DESIGN.md §2): unique participants are people marked present at least
once; attendances (deltagartillfällen) are present marks; sessions held are sessions not cancelled that
have begun. Months are calendar months on the network's wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import User
from activities.models import Attendance, AttendanceStatus, Project, ReportingDate, Session, SessionStatus
from activities.selectors.activities import activities_for_user, is_manager
from people.models import Gender, Person
from people.models.people import AGE_BANDS, AGE_UNKNOWN, age_band


def month_start(day: dt.date) -> dt.datetime:
    """Midnight on the first of ``day``'s month, local time, aware."""
    return dt.datetime(day.year, day.month, 1, tzinfo=timezone.get_current_timezone())


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    participants: int
    attendances: int
    sessions_held: int
    new_people: int


def month_figures(*, actor: User, today: dt.date, now: dt.datetime) -> MonthFigures:
    """This month's figures in three queries."""
    start = month_start(today)
    end = month_start(add_months(today, 1))
    activities = activities_for_user(actor=actor).values("pk")
    marks = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT,
        session__starts_at__gte=start,
        session__starts_at__lt=end,
        session__activity__in=activities,
    ).aggregate(participants=Count("person", distinct=True), attendances=Count("id"))
    held = Session.objects.filter(
        activity__in=activities,
        status=SessionStatus.SCHEDULED,
        starts_at__gte=start,
        starts_at__lt=end,
        starts_at__lte=now,
    ).count()
    new_people = (
        Person.objects.filter(created_at__gte=start, created_at__lt=end).count() if is_manager(actor) else 0
    )
    return MonthFigures(
        month=start.date(),
        participants=marks["participants"],
        attendances=marks["attendances"],
        sessions_held=held,
        new_people=new_people,
    )


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    attendances: int
    participants: int


def attendances_per_month(*, actor: User, today: dt.date, months: int = 12) -> list[MonthCount]:
    """Attendances and unique participants in each of the last ``months`` months, this one included."""
    first = add_months(today, -(months - 1))
    rows = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            session__starts_at__gte=month_start(first),
            session__starts_at__lt=month_start(add_months(today, 1)),
            session__activity__in=activities_for_user(actor=actor).values("pk"),
        )
        .annotate(month=TruncMonth("session__starts_at"))
        .values("month")
        .annotate(attendances=Count("id"), participants=Count("person", distinct=True))
        .order_by("month")
    )
    by_month = {timezone.localtime(row["month"]).date(): row for row in rows}
    result = []
    for offset in range(months):
        month = add_months(first, offset)
        row = by_month.get(month, {"attendances": 0, "participants": 0})
        result.append(MonthCount(month, row["attendances"], row["participants"]))
    return result


AGE_BAND_NAMES = [name for name, _, _ in AGE_BANDS] + [AGE_UNKNOWN]


def participants_by_age_and_gender(
    *, actor: User, today: dt.date, months: int = 12
) -> dict[str, dict[str, int]]:
    """Unique participants of the last ``months`` months: age band → gender → count, in one query.

    Ages are taken on ``today`` from the birth year, which is always filled when anything is known.
    """
    rows = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            session__starts_at__gte=month_start(add_months(today, -(months - 1))),
            session__starts_at__lte=timezone.now(),
            session__activity__in=activities_for_user(actor=actor).values("pk"),
        )
        .values("person__birth_year", "person__gender")
        .annotate(people=Count("person", distinct=True))
    )
    table = {band: {gender: 0 for gender in Gender.values} for band in AGE_BAND_NAMES}
    for row in rows:
        year = row["person__birth_year"]
        band = age_band(today.year - year if year else None)
        table[band][row["person__gender"]] += row["people"]
    return table


def upcoming_sessions(*, actor: User, now: dt.datetime, limit: int = 8) -> QuerySet[Session]:
    return (
        Session.objects.filter(activity__in=activities_for_user(actor=actor).values("pk"), ends_at__gte=now)
        .select_related("activity")
        .annotate(
            registered_count=Count(
                "activity__registrations", filter=Q(activity__registrations__status="registered")
            )
        )
        .order_by("starts_at", "id")[:limit]
    )


def upcoming_reporting_dates(*, actor: User, today: dt.date, limit: int = 5) -> QuerySet[ReportingDate]:
    if not is_manager(actor):
        return ReportingDate.objects.none()
    return (
        ReportingDate.objects.filter(done=False, due_on__gte=today - dt.timedelta(days=30))
        .select_related("project")
        .order_by("due_on", "id")[:limit]
    )


def projects_running(*, today: dt.date) -> QuerySet[Project]:
    return Project.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "name")
