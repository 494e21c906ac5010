"""iCalendar (RFC 5545) feeds of the public activities, readable by phone calendars.

A weekly activity is one recurring event in Europe/Stockholm local time (so 18:00 stays 18:00 across
the change to and from summer time), with EXDATE for cancelled or missing sessions and an override
(RECURRENCE-ID) for a moved one. Sessions outside the weekly pattern, and single-date activities, are
events of their own. Cancelled sessions are left out, one-off ones too: a calendar drops an event that is no
longer in the feed. Event UIDs carry the tenant's own host, so two networks' feeds on one phone never mix.

Every text is made fit first (line breaks normalised, control characters dropped, names on one line), and
icalendar escapes and folds it: whatever a title holds, the feed is valid.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur, vText

from activities.choices import ScheduleKind, SessionStatus
from activities.models import Activity, Session

LOCAL = ZoneInfo("Europe/Stockholm")
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# TEXT values may hold no control characters but tab; a line break is kept and escaped as "\n".
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", value)


def _line(value: str) -> str:
    """A name or a place: one line, blanks collapsed."""
    return " ".join(_text(value).split())


def stockholm_timezone() -> Timezone:
    """Europe/Stockholm by the EU rule in force since 1996, as RRULEs.

    Summer time starts at 02:00 local time on the last Sunday of March (clocks go to 03:00) and ends at
    03:00 summer time on the last Sunday of October (back to 02:00); RFC 5545 gives each onset in the
    local time in force before it. Not icalendar's generated VTIMEZONE: it puts the spring change at 03:00
    and lists the dates as one comma-separated RDATE, of which ical.js reads only the first, so web
    calendars showed every summer event an hour late. ``test_ical`` checks the rule against tzdata.
    """
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", dt.timedelta(hours=1))
    summer.add("tzoffsetto", dt.timedelta(hours=2))
    summer.add("dtstart", dt.datetime(1996, 3, 31, 2, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", dt.timedelta(hours=2))
    winter.add("tzoffsetto", dt.timedelta(hours=1))
    winter.add("dtstart", dt.datetime(1996, 10, 27, 3, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone = Timezone()
    zone.add("tzid", "Europe/Stockholm")
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


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
    event.add("summary", _line(activity.title))
    event.add("dtstart", session.starts_at.astimezone(LOCAL))
    event.add("dtend", session.ends_at.astimezone(LOCAL))
    event.add("location", _line(session.place or activity.place))
    if activity.description:
        event.add("description", _text(activity.description))
    return event


def _held(sessions: Iterable[Session]) -> list[Session]:
    return [session for session in sessions if session.status != SessionStatus.CANCELLED]


def activity_events(activity: Activity, sessions: Iterable[Session], host: str) -> list[Event]:
    sessions = list(sessions)
    occurrences = _weekly_occurrences(activity) if activity.schedule_kind == ScheduleKind.WEEKLY else []
    if not occurrences:
        return [_session_event(session, activity, host) for session in _held(sessions)]

    by_plan = {session.scheduled_start.astimezone(LOCAL): session for session in sessions}
    first = occurrences[0]
    assert activity.end_time is not None  # a weekly schedule has both times (model constraint)
    master = Event()
    master_uid = _uid("activity", activity.pk, host)
    master.add("uid", master_uid)
    master.add("dtstamp", activity.created_at)
    master.add("summary", _line(activity.title))
    master.add("dtstart", first)
    master.add("dtend", dt.datetime.combine(first.date(), activity.end_time, tzinfo=LOCAL))
    master.add("location", _line(activity.place))
    if activity.description:
        master.add("description", _text(activity.description))
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
    # One EXDATE per date: the plainest form, which every parser reads.
    for exdate in exdates:
        master.add("exdate", exdate)
    # Sessions the weekly pattern does not produce (added by hand, or from an earlier schedule).
    events.extend(_session_event(session, activity, host) for session in _held(by_plan.values()))
    return events


def calendar_for(
    activities: Iterable[Activity], sessions: Iterable[Session], *, name: str, host: str
) -> bytes:
    """The feed of ``activities`` with their ``sessions``, called ``name``; UIDs end in ``@host``, the
    tenant's own host."""
    by_activity: dict[int, list[Session]] = {}
    for session in sessions:
        by_activity.setdefault(session.activity_id, []).append(session)
    calendar = Calendar()
    calendar.add("prodid", "-//Internationella Vänner//ivplatform//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(_line(name)))
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    calendar.add_component(stockholm_timezone())
    for activity in activities:
        for event in activity_events(activity, by_activity.get(activity.pk, []), host):
            calendar.add_component(event)
    return calendar.to_ical()
