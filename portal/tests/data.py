"""Small builders of activities and sessions for the public-page tests (in the current tenant)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from activities.choices import ActivityCategory, Audience, ScheduleKind, SessionStatus
from activities.models import Activity, Session

LOCAL = ZoneInfo("Europe/Stockholm")


def weekly_activity(
    *,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    weekdays: list[int],
    start: dt.time = dt.time(18, 0),
    end: dt.time = dt.time(20, 0),
    is_public: bool = True,
    languages: list[str] | None = None,
) -> Activity:
    activity = Activity.objects.create(
        title=title,
        category=ActivityCategory.LANGUAGE_CAFE,
        audience=Audience.ALL,
        place="Biblioteket",
        schedule_kind=ScheduleKind.WEEKLY,
        weekdays=weekdays,
        start_time=start,
        end_time=end,
        starts_on=starts_on,
        ends_on=ends_on,
        is_public=is_public,
        languages=languages or ["sv", "ar"],
    )
    day = starts_on
    while day <= ends_on:
        if day.weekday() in weekdays:
            begins = dt.datetime.combine(day, start, tzinfo=LOCAL)
            Session.objects.create(
                activity=activity,
                starts_at=begins,
                ends_at=dt.datetime.combine(day, end, tzinfo=LOCAL),
                scheduled_start=begins,
            )
        day += dt.timedelta(days=1)
    return activity


def upcoming_weekly_activity(*, title: str, is_public: bool = True) -> Activity:
    today = timezone.localdate()
    return weekly_activity(
        title=title,
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=28),
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        is_public=is_public,
    )


def cancel(session: Session, reason: str = "Sjukdom") -> Session:
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason
    session.save()
    return session
