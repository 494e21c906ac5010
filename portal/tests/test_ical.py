"""The calendar feed: valid iCalendar, the right local times across summer time, cancellations honoured."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from activities.choices import ActivityCategory, Audience, ScheduleKind
from activities.models import Activity, Session
from conftest import tenant_client
from portal.ical import stockholm_timezone
from portal.tests.data import cancel, weekly_activity
from tenants.models import Municipality

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def cafe(varnamo: Municipality) -> object:
    # Tuesdays at 18:00 from March to November 2026: summer time starts 29 March and ends 25 October.
    with varnamo:
        activity = weekly_activity(
            title="Språkcafé tisdag",
            starts_on=dt.date(2026, 3, 3),
            ends_on=dt.date(2026, 11, 24),
            weekdays=[1],
        )
        return activity


def feed_bytes(path: str = "/calendar.ics", slug: str = "varnamo") -> bytes:
    response = tenant_client(slug).get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def feed(path: str = "/calendar.ics", slug: str = "varnamo") -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(feed_bytes(path, slug))


def local_starts(calendar: icalendar.Calendar, start: dt.date, end: dt.date) -> list[dt.datetime]:
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(
        event["DTSTART"].dt.astimezone(LOCAL) for event in events if event.get("STATUS") != "CANCELLED"
    )


def cafe_feed(cafe: object) -> icalendar.Calendar:
    # The demo data has activities of its own; the per-activity feed looks at this one only.
    return feed(f"/activities/{cafe.pk}/calendar.ics")  # type: ignore[attr-defined]


def test_the_network_feed_has_the_activity(cafe: object) -> None:
    summaries = [str(event["SUMMARY"]) for event in feed().walk("VEVENT")]
    assert summaries.count("Språkcafé tisdag") == 1


def test_weekly_activity_is_one_recurring_event_with_a_timezone(cafe: object) -> None:
    calendar = cafe_feed(cafe)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    assert events[0]["RRULE"]["FREQ"] == ["WEEKLY"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"


def test_times_stay_at_six_in_the_evening_across_summer_time(cafe: object) -> None:
    starts = local_starts(cafe_feed(cafe), dt.date(2026, 3, 1), dt.date(2026, 11, 30))
    assert len(starts) == 39
    assert {(start.hour, start.minute) for start in starts} == {(18, 0)}
    # Before and after each change the UTC offset differs while the local time does not.
    assert starts[0].utcoffset() == dt.timedelta(hours=1)  # 3 March, winter time
    assert starts[5].utcoffset() == dt.timedelta(hours=2)  # 7 April, summer time
    assert starts[-1].utcoffset() == dt.timedelta(hours=1)  # 24 November, winter time again


def test_a_cancelled_session_is_excluded_and_a_moved_one_moves(cafe: object, varnamo: Municipality) -> None:
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


def test_the_feed_of_one_activity(cafe: object) -> None:
    calendar = feed(f"/activities/{cafe.pk}/calendar.ics")  # type: ignore[attr-defined]
    assert calendar.walk("VEVENT")[0]["SUMMARY"] == "Språkcafé tisdag"
    assert tenant_client("varnamo").get("/activities/999999/calendar.ics").status_code == 404


# --- Three parsers, the same calendar ------------------------------------------------------------------
# Python's icalendar with recurring-ical-events reads TZID=Europe/Stockholm as the system's tzdata; ical.js
# (behind many web calendars, from the npm registry like axe-core) reads the feed's own VTIMEZONE. Both
# must find the same occurrences at the same local times, through both changes of summer time.

ROOT = Path(__file__).resolve().parents[2]
ICAL_JS = ROOT / "node_modules" / "ical.js"
OCCURRENCES_SCRIPT = Path(__file__).with_name("ical_occurrences.mjs")
YEAR_START, YEAR_END = dt.date(2026, 1, 1), dt.date(2027, 1, 1)  # summer time 29 March to 25 October

Occurrence = tuple[str, int, str]  # UID, start as Unix seconds, start as local wall-clock time


def python_occurrences(content: bytes) -> list[Occurrence]:
    calendar = icalendar.Calendar.from_ical(content)
    found = []
    for event in recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END):
        assert event.get("STATUS") != "CANCELLED"
        start = event["DTSTART"].dt
        found.append(
            (str(event["UID"]), int(start.timestamp()), start.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M:%S"))
        )
    return sorted(found)


def ical_js_occurrences(content: bytes) -> list[Occurrence]:
    assert ICAL_JS.exists(), "ical.js is missing: `make test` installs it from the npm registry"
    node = shutil.which("node")
    assert node, "node is needed to run ical.js"
    result = subprocess.run(
        [node, str(OCCURRENCES_SCRIPT), YEAR_START.isoformat(), YEAR_END.isoformat()],
        input=content,
        capture_output=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    found: list[dict[str, Any]] = json.loads(result.stdout)
    assert all(item["status"] != "cancelled" for item in found)
    return sorted((item["uid"], item["start"], item["local"]) for item in found)


def single_activity(*, title: str, starts: dt.datetime, cancelled: bool = False) -> Activity:
    activity = Activity.objects.create(
        title=title,
        category=ActivityCategory.OUTING,
        audience=Audience.ALL,
        place="Hamnen",
        schedule_kind=ScheduleKind.SINGLE,
        is_public=True,
        languages=["sv"],
    )
    session = Session.objects.create(
        activity=activity, starts_at=starts, ends_at=starts + dt.timedelta(hours=3), scheduled_start=starts
    )
    if cancelled:
        cancel(session)
    return activity


@pytest.fixture
def year_of_activities(cafe: Activity, varnamo: Municipality) -> dict[str, Activity]:
    """The Tuesday café with a session cancelled in May and one moved in summer, a summer outing, a
    cancelled winter outing, and an extra café session on a Thursday in October summer time."""
    with varnamo:
        sessions = list(Session.objects.filter(activity=cafe).order_by("starts_at"))
        cancel(sessions[10])  # 12 May
        moved = sessions[20]  # 21 July → 22 July at 17:30
        moved.starts_at = dt.datetime(2026, 7, 22, 17, 30, tzinfo=LOCAL)
        moved.ends_at = dt.datetime(2026, 7, 22, 19, 30, tzinfo=LOCAL)
        moved.save()
        extra = dt.datetime(2026, 10, 22, 18, 0, tzinfo=LOCAL)
        Session.objects.create(
            activity=cafe, starts_at=extra, ends_at=extra + dt.timedelta(hours=2), scheduled_start=extra
        )
        return {
            "cafe": cafe,
            "outing": single_activity(title="Båttur", starts=dt.datetime(2026, 6, 20, 10, 0, tzinfo=LOCAL)),
            "cancelled": single_activity(
                title="Pulkaåkning", starts=dt.datetime(2026, 2, 7, 11, 0, tzinfo=LOCAL), cancelled=True
            ),
        }


def test_python_and_ical_js_find_the_same_occurrences_at_the_same_local_times(
    year_of_activities: dict[str, Activity],
) -> None:
    for activity in year_of_activities.values():
        content = feed_bytes(f"/activities/{activity.pk}/calendar.ics")
        assert python_occurrences(content) == ical_js_occurrences(content)
    network = feed_bytes()
    python = python_occurrences(network)
    assert python == ical_js_occurrences(network)

    cafe = year_of_activities["cafe"]
    local = [when for uid, _start, when in python if uid == f"activity-{cafe.pk}@varnamo.localhost"]
    # 39 Tuesdays, one cancelled; the moved one keeps the activity's UID; the Thursday extra has its own.
    assert len(local) == 38
    assert "2026-05-12T18:00:00" not in local and "2026-07-21T18:00:00" not in local
    assert "2026-07-22T17:30:00" in local
    assert {when[11:] for when in local} == {"18:00:00", "17:30:00"}
    # Both sides of both changes, at 18:00 local time: 24 and 31 March, 20 and 27 October.
    assert {
        "2026-03-24T18:00:00",
        "2026-03-31T18:00:00",
        "2026-10-20T18:00:00",
        "2026-10-27T18:00:00",
    } <= set(local)
    starts = {when: start for uid, start, when in python}
    assert starts["2026-03-24T18:00:00"] == int(dt.datetime(2026, 3, 24, 17, 0, tzinfo=dt.UTC).timestamp())
    assert starts["2026-03-31T18:00:00"] == int(dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC).timestamp())
    assert starts["2026-10-27T18:00:00"] == int(dt.datetime(2026, 10, 27, 17, 0, tzinfo=dt.UTC).timestamp())
    assert ("2026-10-22T18:00:00") in [when for _uid, _start, when in python]
    assert "2026-06-20T10:00:00" in starts


def test_a_cancelled_one_off_session_is_left_out(year_of_activities: dict[str, Activity]) -> None:
    cancelled = year_of_activities["cancelled"]
    calendar = feed(f"/activities/{cancelled.pk}/calendar.ics")
    assert calendar.walk("VEVENT") == []
    assert "Pulkaåkning" not in [str(event["SUMMARY"]) for event in feed().walk("VEVENT")]


def test_the_timezone_is_given_by_rules_that_agree_with_tzdata() -> None:
    zone = stockholm_timezone()
    text = zone.to_ical().decode()
    assert "RDATE" not in text  # one rule per change, nothing a parser could half-read
    daylight, standard = zone.walk("DAYLIGHT")[0], zone.walk("STANDARD")[0]
    assert daylight["DTSTART"].dt.time() == dt.time(2, 0)  # 02:00 winter time → 03:00
    assert standard["DTSTART"].dt.time() == dt.time(3, 0)  # 03:00 summer time → 02:00
    as_tzinfo = zone.to_tz()
    for year in range(1996, 2038):
        for month in (3, 10):
            for day in range(25, 32):
                for minute in range(0, 4 * 60, 30):
                    moment = dt.datetime(year, month, day, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
                    assert moment.astimezone(as_tzinfo).utcoffset() == moment.astimezone(LOCAL).utcoffset()


def test_uids_carry_the_tenants_own_host(cafe: Activity, varnamo: Municipality) -> None:
    gislaved = Municipality.objects.get(schema_name="gislaved")
    with gislaved:
        weekly_activity(
            title="Språkcafé", starts_on=dt.date(2026, 3, 3), ends_on=dt.date(2026, 4, 28), weekdays=[1]
        )
    varnamo_uids = {str(event["UID"]) for event in feed().walk("VEVENT")}
    gislaved_uids = {str(event["UID"]) for event in feed(slug="gislaved").walk("VEVENT")}
    assert varnamo_uids and gislaved_uids
    assert all(uid.endswith("@varnamo.localhost") for uid in varnamo_uids)
    assert all(uid.endswith("@gislaved.localhost") for uid in gislaved_uids)
    assert not varnamo_uids & gislaved_uids


def test_line_breaks_and_control_characters_in_texts_keep_the_feed_valid(varnamo: Municipality) -> None:
    with varnamo:
        activity = weekly_activity(
            title="Språkcafé\nandra våningen\r\n\x0b",
            starts_on=dt.date(2026, 3, 3),
            ends_on=dt.date(2026, 4, 28),
            weekdays=[1],
        )
        Activity.objects.filter(pk=activity.pk).update(
            place="Biblioteket,\rplan 2;\x1b",
            description="Rad ett\r\nRad två\x07, med komma; och semikolon " * 20,
        )
    for path in (f"/activities/{activity.pk}/calendar.ics", "/calendar.ics"):
        content = feed_bytes(path)
        assert all(len(line) <= 75 for line in content.split(b"\r\n"))  # folded
        assert python_occurrences(content) == ical_js_occurrences(content)
    calendar = feed(f"/activities/{activity.pk}/calendar.ics")
    assert str(calendar["X-WR-CALNAME"]).startswith("Språkcafé andra våningen · ")
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Språkcafé andra våningen"
    assert str(event["LOCATION"]) == "Biblioteket, plan 2;"
    assert str(event["DESCRIPTION"]).startswith("Rad ett\nRad två, med komma; och semikolon")
