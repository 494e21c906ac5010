"""The calendar feed: valid iCalendar, the right local times across summer time, cancellations honoured."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from activities.models import Activity, Session
from conftest import tenant_client
from portal.tests.data import cancel, weekly_activity
from tenants.models import Municipality

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def cafe(varnamo: Municipality) -> Activity:
    # Tuesdays at 18:00 from March to November 2026: summer time starts 29 March and ends 25 October.
    with varnamo:
        activity = weekly_activity(
            title="Språkcafé tisdag",
            starts_on=dt.date(2026, 3, 3),
            ends_on=dt.date(2026, 11, 24),
            weekdays=[1],
        )
        return activity


def feed(path: str = "/calendar.ics") -> icalendar.Calendar:
    response = tenant_client("varnamo").get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def local_starts(calendar: icalendar.Calendar, start: dt.date, end: dt.date) -> list[dt.datetime]:
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        event["DTSTART"].dt.astimezone(LOCAL) for event in events if event.get("STATUS") != "CANCELLED"
    )


def cafe_feed(cafe: Activity) -> icalendar.Calendar:
    # The demo data has activities of its own; the per-activity feed looks at this one only.
    return feed(f"/activities/{cafe.pk}/calendar.ics")


def test_the_network_feed_has_the_activity(cafe: Activity) -> None:
    summaries = [str(event["SUMMARY"]) for event in feed().walk("VEVENT")]
    assert summaries.count("Språkcafé tisdag") == 1


def test_weekly_activity_is_one_recurring_event_with_a_timezone(cafe: Activity) -> None:
    calendar = cafe_feed(cafe)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    assert events[0]["RRULE"]["FREQ"] == ["WEEKLY"]  # type: ignore[index]  # RRULE is a vRecur
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"


def test_times_stay_at_six_in_the_evening_across_summer_time(cafe: Activity) -> None:
    starts = local_starts(cafe_feed(cafe), dt.date(2026, 3, 1), dt.date(2026, 11, 30))
    assert len(starts) == 39
    assert {(start.hour, start.minute) for start in starts} == {(18, 0)}
    # Before and after each change the UTC offset differs while the local time does not.
    assert starts[0].utcoffset() == dt.timedelta(hours=1)  # 3 March, winter time
    assert starts[5].utcoffset() == dt.timedelta(hours=2)  # 7 April, summer time
    assert starts[-1].utcoffset() == dt.timedelta(hours=1)  # 24 November, winter time again


def test_a_cancelled_session_is_excluded_and_a_moved_one_moves(cafe: Activity, varnamo: Municipality) -> None:
    with varnamo:
        sessions = list(Session.objects.filter(activity=cafe).order_by("starts_at"))
        cancel(sessions[10])  # 12 May
        moved = sessions[11]  # 19 May → 20 May at 17:00
        moved.starts_at = dt.datetime(2026, 5, 20, 17, 0, tzinfo=LOCAL)
        moved.ends_at = dt.datetime(2026, 5, 20, 19, 0, tzinfo=LOCAL)
        moved.save()
    starts = local_starts(cafe_feed(cafe), dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert dt.datetime(2026, 5, 12, 18, 0, tzinfo=LOCAL) not in starts
    assert dt.datetime(2026, 5, 19, 18, 0, tzinfo=LOCAL) not in starts
    assert dt.datetime(2026, 5, 20, 17, 0, tzinfo=LOCAL) in starts
    assert len(starts) == 3  # 5, 20 (moved from 19) and 26 May; 12 May is cancelled


def test_a_non_public_activity_is_not_in_the_feed(varnamo: Municipality) -> None:
    with varnamo:
        weekly_activity(
            title="Internt möte",
            starts_on=dt.date(2026, 3, 3),
            ends_on=dt.date(2026, 4, 3),
            weekdays=[2],
            is_public=False,
        )
    assert "Internt möte" not in [str(event["SUMMARY"]) for event in feed().walk("VEVENT")]


def test_the_feed_of_one_activity(cafe: Activity) -> None:
    calendar = feed(f"/activities/{cafe.pk}/calendar.ics")
    assert calendar.walk("VEVENT")[0]["SUMMARY"] == "Språkcafé tisdag"
    assert tenant_client("varnamo").get("/activities/999999/calendar.ics").status_code == 404
