"""iCalendar (RFC 5545) feeds of the public activities, readable by phone calendars.

A weekly activity is one recurring event in Europe/Stockholm local time (so 18:00 stays 18:00 across
the change to and from summer time), with EXDATE for cancelled or missing sessions and an override
(RECURRENCE-ID) for a moved one. Sessions outside the weekly pattern, and single-date activities, are
events of their own; a cancelled one is sent with STATUS:CANCELLED so calendars that have it drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vRecur

from activities.models import Activity, ScheduleKind, Session, SessionStatus

LOCAL = ZoneInfo("Europe/Stockholm")
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _uid(kind: str, pk: int, host: str) -> str:
    return f"{kind}-{pk}@{host}"


def _weekly_occurrences(activity: Activity) -> list[dt.datetime]:
    """Local start times the weekly schedule produces, in the order of the calendar."""
    if not (activity.starts_on and activity.ends_on and activity.start_time and activity.weekdays):
        return []
    days = set(activity.weekdays)
    out = []
    day = activity.starts_on
    while day <= activity.ends_on:
        if day.weekday() in days:
            out.append(dt.datetime.combine(day, activity.start_time, tzinfo=LOCAL))
        day += dt.timedelta(days=1)
    return out


def _session_event(session: Session, activity: Activity, host: str) -> Event:
    event = Event()
    event.add("uid", _uid("session", session.pk, host))
    event.add("dtstamp", session.created_at)
    event.add("summary", activity.title)
    event.add("dtstart", session.starts_at.astimezone(LOCAL))
    event.add("dtend", session.ends_at.astimezone(LOCAL))
    event.add("location", session.place or activity.place)
    if activity.description:
        event.add("description", activity.description)
    if session.status == SessionStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def activity_events(activity: Activity, sessions: Iterable[Session], host: str) -> list[Event]:
    sessions = list(sessions)
    occurrences = _weekly_occurrences(activity) if activity.schedule_kind == ScheduleKind.WEEKLY else []
    if not occurrences:
        return [_session_event(session, activity, host) for session in sessions]

    by_plan = {session.scheduled_start.astimezone(LOCAL): session for session in sessions}
    first = occurrences[0]
    if activity.end_time is None:  # a weekly schedule has both times (model constraint)
        raise ValueError(f"Weekly activity {activity.pk} has no end time.")
    master = Event()
    master_uid = _uid("activity", activity.pk, host)
    master.add("uid", master_uid)
    master.add("dtstamp", activity.created_at)
    master.add("summary", activity.title)
    master.add("dtstart", first)
    master.add("dtend", dt.datetime.combine(first.date(), activity.end_time, tzinfo=LOCAL))
    master.add("location", activity.place)
    if activity.description:
        master.add("description", activity.description)
    until = dt.datetime.combine(occurrences[-1].date(), dt.time(23, 59, 59), tzinfo=LOCAL).astimezone(dt.UTC)
    master.add(
        "rrule", vRecur(freq="WEEKLY", byday=[BYDAY[d] for d in sorted(set(activity.weekdays))], until=until)
    )

    events = [master]
    exdates = []
    for occurrence in occurrences:
        session = by_plan.pop(occurrence, None)
        if session is None or session.status == SessionStatus.CANCELLED:
            exdates.append(occurrence)
        elif session.starts_at != session.scheduled_start or session.place:
            moved = _session_event(session, activity, host)
            moved["uid"] = master_uid
            moved.add("recurrence-id", occurrence)
            events.append(moved)
    if exdates:
        master.add("exdate", exdates)
    # Sessions the weekly pattern does not produce (added by hand, or from an earlier schedule).
    events.extend(_session_event(session, activity, host) for session in by_plan.values())
    return events


def calendar_for(activities: Iterable[Activity], sessions: Iterable[Session], name: str) -> bytes:
    host = settings.BASE_DOMAIN
    by_activity: dict[int, list[Session]] = {}
    for session in sessions:
        by_activity.setdefault(session.activity_id, []).append(session)
    calendar = Calendar()
    calendar.add("prodid", "-//Internationella Vänner//ivplatform//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for activity in activities:
        for event in activity_events(activity, by_activity.get(activity.pk, []), host):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
