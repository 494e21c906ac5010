"""Activities, their schedule and sessions, cancelling and moving, registrations and the waiting list."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, TypedDict

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from accounts.models import User
from activities.models import (
    Activity,
    ActivityCategory,
    Registration,
    RegistrationStatus,
    ScheduleKind,
    Session,
    SessionStatus,
)
from activities.services.activities import (
    ActivityData,
    Schedule,
    activity_create,
    activity_update,
    registration_cancel,
    registration_create,
    session_add,
    session_cancel,
    session_move,
    sessions_generate,
)
from core.errors import CoreError
from people.models import Person
from tests.support.factories import (
    ActivityFactory,
    AttendanceFactory,
    ConsentFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def weekly(**changes: Any) -> ActivityData:
    schedule = Schedule(
        kind=ScheduleKind.WEEKLY,
        weekdays=changes.pop("weekdays", (6,)),
        start_time=changes.pop("start_time", dt.time(18)),
        end_time=changes.pop("end_time", dt.time(19, 30)),
        starts_on=changes.pop("starts_on", dt.date(2025, 3, 20)),
        ends_on=changes.pop("ends_on", dt.date(2025, 4, 10)),
    )
    return ActivityData(title="Söndagsfotboll", category=ActivityCategory.SPORT, schedule=schedule, **changes)


def local_times(activity: Activity) -> list[tuple[dt.date, dt.time, dt.time]]:
    return [
        (
            s.starts_at.astimezone(STOCKHOLM).date(),
            s.starts_at.astimezone(STOCKHOLM).time(),
            s.ends_at.astimezone(STOCKHOLM).time(),
        )
        for s in activity.sessions.order_by("starts_at")
    ]


# --- schedule and sessions ---------------------------------------------------------------------------


def test_weekly_sessions_stay_at_the_same_local_time_across_the_spring_dst_change(coordinator: User) -> None:
    activity = activity_create(actor=coordinator, data=weekly())
    # Summer time began on Sunday 30 March 2025 at 02:00.
    assert local_times(activity) == [
        (dt.date(2025, 3, 23), dt.time(18), dt.time(19, 30)),
        (dt.date(2025, 3, 30), dt.time(18), dt.time(19, 30)),
        (dt.date(2025, 4, 6), dt.time(18), dt.time(19, 30)),
    ]
    utc_hours = [s.starts_at.astimezone(dt.UTC).hour for s in activity.sessions.order_by("starts_at")]
    assert utc_hours == [17, 16, 16]


def test_weekly_sessions_stay_at_the_same_local_time_across_the_autumn_dst_change(coordinator: User) -> None:
    activity = activity_create(
        actor=coordinator,
        data=weekly(
            weekdays=(5, 6),
            starts_on=dt.date(2025, 10, 25),
            ends_on=dt.date(2025, 10, 26),
            start_time=dt.time(1, 30),
            end_time=dt.time(4),
        ),
    )
    # Summer time ended on Sunday 26 October 2025 at 03:00: 01:30 that night happened once, before it.
    sessions = list(activity.sessions.order_by("starts_at"))
    assert [
        (s.starts_at.astimezone(STOCKHOLM).day, s.starts_at.astimezone(STOCKHOLM).time()) for s in sessions
    ] == [
        (25, dt.time(1, 30)),
        (26, dt.time(1, 30)),
    ]
    assert [s.starts_at.astimezone(dt.UTC).hour for s in sessions] == [23, 23]
    assert [(s.ends_at - s.starts_at) for s in sessions] == [
        dt.timedelta(hours=2, minutes=30),
        dt.timedelta(hours=3, minutes=30),
    ]


def test_generating_again_creates_nothing_twice(coordinator: User) -> None:
    activity = activity_create(actor=coordinator, data=weekly(weekdays=(0, 2, 4)))
    count = activity.sessions.count()
    assert count == 9
    assert sessions_generate(activity=activity, since=None) == (0, 0)
    assert activity.sessions.count() == count


def test_reversed_dates_are_refused_and_nothing_is_written(coordinator: User) -> None:
    before = (Activity.objects.count(), Session.objects.count())
    with pytest.raises(CoreError) as error:
        activity_create(
            actor=coordinator, data=weekly(starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 4, 1))
        )
    assert error.value.field == "ends_on"
    assert error.value.message == "Sista datumet måste vara samma som eller efter första datumet."
    assert (Activity.objects.count(), Session.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"weekdays": ()}, "weekdays"),
        ({"weekdays": (7,)}, "weekdays"),
        ({"start_time": dt.time(19), "end_time": dt.time(18)}, "end_time"),
        ({"starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2028, 1, 1)}, "ends_on"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_activity_input_is_refused_and_nothing_is_written(
    coordinator: User, changes: dict[str, Any], field: str
) -> None:
    before = (Activity.objects.count(), Session.objects.count())
    with pytest.raises(CoreError) as error:
        activity_create(actor=coordinator, data=weekly(**changes))
    assert error.value.field == field
    assert (Activity.objects.count(), Session.objects.count()) == before


def test_a_board_member_cannot_lead_an_activity(coordinator: User) -> None:
    board = User.objects.create_user("styrelse@varnamo.test", role="board")
    with pytest.raises(CoreError):
        activity_create(actor=coordinator, data=weekly(leaders=[board]))


def test_single_dates_create_one_session_each_even_in_the_past(coordinator: User) -> None:
    data = ActivityData(
        title="Utflykt",
        category=ActivityCategory.OUTING,
        schedule=Schedule(
            kind=ScheduleKind.SINGLE,
            start_time=dt.time(10),
            end_time=dt.time(15),
            dates=(dt.date(2024, 6, 1), dt.date(2030, 6, 1)),
        ),
    )
    activity = activity_create(actor=coordinator, data=data)
    assert [d for d, _, _ in local_times(activity)] == [dt.date(2024, 6, 1), dt.date(2030, 6, 1)]
    assert (activity.starts_on, activity.ends_on) == (dt.date(2024, 6, 1), dt.date(2030, 6, 1))


def test_editing_the_schedule_changes_future_sessions_but_not_past_moved_or_marked_ones(
    coordinator: User,
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    data = weekly(
        weekdays=(0,), starts_on=monday - dt.timedelta(weeks=3), ends_on=monday + dt.timedelta(weeks=4)
    )
    activity = activity_create(actor=coordinator, data=data)
    sessions = list(activity.sessions.order_by("starts_at"))
    assert len(sessions) == 8
    past = [s for s in sessions if s.starts_at < timezone.now()]
    future = [s for s in sessions if s.starts_at >= timezone.now()]
    moved, marked, plain = future[-1], future[-2], future[-3]
    session_move(
        actor=coordinator,
        session=moved,
        date=monday + dt.timedelta(weeks=4, days=1),
        start_time=dt.time(17),
        end_time=dt.time(18),
        place="Gymnastiksalen",
    )
    AttendanceFactory.create(session=marked)
    extra = session_add(
        actor=coordinator,
        activity=activity,
        date=monday + dt.timedelta(weeks=2, days=4),
        start_time=dt.time(12),
        end_time=dt.time(13),
    )

    activity_update(
        actor=coordinator,
        activity=activity,
        data=weekly(weekdays=(2,), starts_on=data.schedule.starts_on, ends_on=data.schedule.ends_on),
    )

    remaining = set(activity.sessions.values_list("pk", flat=True))
    assert {s.pk for s in past} <= remaining, "past sessions stay"
    assert {moved.pk, marked.pk, extra.pk} <= remaining, "moved, marked and one-off sessions stay"
    assert plain.pk not in remaining, "a plain future Monday goes"
    new_wednesdays = activity.sessions.filter(starts_at__gte=timezone.now()).exclude(
        pk__in=[moved.pk, marked.pk, extra.pk]
    )
    assert new_wednesdays.exists()
    assert all(timezone.localtime(s.starts_at).weekday() == 2 for s in new_wednesdays)
    assert all(
        timezone.localtime(s.starts_at).weekday() == 0
        for s in activity.sessions.filter(pk__in=[p.pk for p in past])
    )


def test_a_new_end_time_reaches_future_sessions_only(coordinator: User) -> None:
    today = timezone.localdate()
    data = weekly(
        weekdays=tuple(range(7)),
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
        start_time=dt.time(0, 5),
        end_time=dt.time(0, 35),
    )
    activity = activity_create(actor=coordinator, data=data)
    activity_update(
        actor=coordinator,
        activity=activity,
        data=weekly(
            weekdays=tuple(range(7)),
            starts_on=data.schedule.starts_on,
            ends_on=data.schedule.ends_on,
            start_time=dt.time(0, 5),
            end_time=dt.time(0, 50),
        ),
    )
    lengths = {
        s.starts_at >= timezone.now(): int((s.ends_at - s.starts_at).total_seconds() // 60)
        for s in activity.sessions.all()
    }
    assert lengths == {False: 30, True: 45}


def test_a_moved_session_is_not_brought_back_by_regenerating(coordinator: User) -> None:
    today = timezone.localdate()
    data = weekly(
        weekdays=tuple(range(7)), starts_on=today + dt.timedelta(days=2), ends_on=today + dt.timedelta(days=2)
    )
    activity = activity_create(actor=coordinator, data=data)
    session = activity.sessions.get()
    session_move(
        actor=coordinator,
        session=session,
        date=today + dt.timedelta(days=5),
        start_time=dt.time(9),
        end_time=dt.time(10),
        place="",
    )
    activity_update(actor=coordinator, activity=activity, data=data)
    assert activity.sessions.count() == 1


# --- cancelling and moving: the people registered are told --------------------------------------------


class Registered(TypedDict):
    activity: Activity
    session: Session
    mailable: Person


@pytest.fixture
def registered(coordinator: User) -> Registered:
    """An activity with a session next week and four registered people who can or cannot get e-mail."""
    activity = ActivityFactory.create(title="Språkcafé", place="Biblioteket")
    session = SessionFactory.create(activity=activity, starts_at=timezone.now() + dt.timedelta(days=7))
    mailable = PersonFactory.create(first_name="Amina", email="amina@example.com", phone="070-111 11 11")
    ConsentFactory.create(person=mailable, given=True)
    withdrawn = PersonFactory.create(first_name="Dawit", email="dawit@example.com", phone="070-222 22 22")
    ConsentFactory.create(person=withdrawn, given=True)
    ConsentFactory.create(person=withdrawn, given=False)  # the newest decision is the one in force
    no_address = PersonFactory.create(first_name="Olena", phone="070-333 33 33")
    ConsentFactory.create(person=no_address, given=True)
    never_asked = PersonFactory.create(first_name="Erik", email="erik@example.com")
    waiting = PersonFactory.create(first_name="Väntar", email="vantar@example.com")
    ConsentFactory.create(person=waiting, given=True)
    for person in (mailable, withdrawn, no_address, never_asked):
        RegistrationFactory.create(activity=activity, person=person)
    RegistrationFactory.create(activity=activity, person=waiting, status=RegistrationStatus.WAITLISTED)
    return {"activity": activity, "session": session, "mailable": mailable}


def test_cancelling_mails_those_who_consented_and_lists_the_rest_to_phone(
    coordinator: User,
    registered: Registered,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    eager_celery: None,
) -> None:
    session = registered["session"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan = session_cancel(actor=coordinator, session=session, reason="Ledaren är sjuk")
    # The notice, and the statistics' recompute of the month (a cancelled session is no longer held).
    assert [getattr(c, "func", c).__qualname__ for c in callbacks] == [
        "tenant_month_changed.<locals>.send",
        "Task.delay",
    ]
    assert [p.first_name for p in plan.emailed] == ["Amina"]
    assert [p.first_name for p in plan.to_phone] == ["Dawit", "Erik", "Olena"]
    assert [m.to for m in mail.outbox] == [["amina@example.com"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Inställt: Språkcafé")
    assert "Ledaren är sjuk" in message.body
    assert "Hej Amina" in message.body
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


def test_no_mail_leaves_before_the_change_is_committed(
    coordinator: User, registered: Registered, eager_celery: None
) -> None:
    session_cancel(actor=coordinator, session=registered["session"], reason="Stängt")
    assert mail.outbox == []  # the test's transaction never commits


def test_moving_tells_the_new_time_and_place(
    coordinator: User,
    registered: Registered,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    eager_celery: None,
) -> None:
    session = registered["session"]
    new_day = timezone.localdate() + dt.timedelta(days=9)
    with django_capture_on_commit_callbacks(execute=True):
        plan = session_move(
            actor=coordinator,
            session=session,
            date=new_day,
            start_time=dt.time(17, 15),
            end_time=dt.time(19),
            place="Kyrkans lokal",
        )
    assert len(plan.to_phone) == 3
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "17:15–19:00" in body
    assert "Kyrkans lokal" in body
    session.refresh_from_db()
    assert session.is_moved


def test_cancelling_needs_a_reason_and_happens_once(coordinator: User, registered: Registered) -> None:
    session = registered["session"]
    with pytest.raises(CoreError, match="Skriv varför"):
        session_cancel(actor=coordinator, session=session, reason="  ")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    session_cancel(actor=coordinator, session=session, reason="Stängt")
    with pytest.raises(CoreError, match="redan inställt"):
        session_cancel(actor=coordinator, session=session, reason="Stängt")
    with pytest.raises(CoreError):
        session_move(
            actor=coordinator,
            session=session,
            date=timezone.localdate(),
            start_time=dt.time(9),
            end_time=dt.time(10),
            place="",
        )


def test_a_session_where_people_were_present_cannot_be_cancelled(coordinator: User) -> None:
    attendance = AttendanceFactory.create()
    with pytest.raises(CoreError, match="det har ägt rum"):
        session_cancel(actor=coordinator, session=attendance.session, reason="Fel")


def test_moving_needs_an_end_after_the_start_and_a_change(coordinator: User) -> None:
    session = SessionFactory.create(
        starts_at=dt.datetime(2030, 1, 7, 18, tzinfo=timezone.get_current_timezone()), place=""
    )
    with pytest.raises(CoreError) as error:
        session_move(
            actor=coordinator,
            session=session,
            date=dt.date(2030, 1, 8),
            start_time=dt.time(18),
            end_time=dt.time(17),
            place="",
        )
    assert error.value.field == "end_time"
    with pytest.raises(CoreError, match="Inget ändrades"):
        session_move(
            actor=coordinator,
            session=session,
            date=dt.date(2030, 1, 7),
            start_time=dt.time(18),
            end_time=dt.time(19, 30),
            place="",
        )
    session.refresh_from_db()
    assert not session.is_moved


# --- registrations and the waiting list ---------------------------------------------------------------


def test_the_last_seat_goes_to_the_first_and_the_next_are_waitlisted(coordinator: User) -> None:
    activity = ActivityFactory.create(capacity=2)
    statuses = [
        registration_create(actor=coordinator, activity=activity, person=PersonFactory.create()).status
        for _ in range(4)
    ]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]


def test_no_capacity_means_no_limit(coordinator: User) -> None:
    activity = ActivityFactory.create(capacity=None)
    statuses = {
        registration_create(actor=coordinator, activity=activity, person=PersonFactory.create()).status
        for _ in range(30)
    }
    assert statuses == {"registered"}


def test_registering_twice_is_refused(coordinator: User) -> None:
    activity = ActivityFactory.create()
    person = PersonFactory.create(first_name="Selam", last_name="Haile")
    registration_create(actor=coordinator, activity=activity, person=person)
    with pytest.raises(CoreError, match="Selam Haile är redan anmäld"):
        registration_create(actor=coordinator, activity=activity, person=person)
    assert Registration.objects.filter(activity=activity).count() == 1


def test_an_inactive_activity_takes_no_registrations(coordinator: User) -> None:
    with pytest.raises(CoreError, match="inte aktiv"):
        registration_create(
            actor=coordinator, activity=ActivityFactory.create(is_active=False), person=PersonFactory.create()
        )


def test_a_cancellation_promotes_the_first_on_the_waiting_list_and_tells_them(
    coordinator: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, eager_celery: None
) -> None:
    activity = ActivityFactory.create(capacity=1, title="Jobbklubben")
    seated = registration_create(actor=coordinator, activity=activity, person=PersonFactory.create())
    first = PersonFactory.create(first_name="Hodan", email="hodan@example.com")
    ConsentFactory.create(person=first)
    first_waiting = registration_create(actor=coordinator, activity=activity, person=first)
    second_waiting = registration_create(actor=coordinator, activity=activity, person=PersonFactory.create())

    with django_capture_on_commit_callbacks(execute=True):
        plan = registration_cancel(actor=coordinator, registration=seated)

    assert [p.first_name for p in plan.emailed] == ["Hodan"]
    statuses = dict(Registration.objects.filter(activity=activity).values_list("pk", "status"))
    assert statuses == {
        seated.pk: "cancelled",
        first_waiting.pk: "registered",
        second_waiting.pk: "waitlisted",
    }
    assert [m.to for m in mail.outbox] == [["hodan@example.com"]]
    assert "Jobbklubben" in mail.outbox[0].subject
    with pytest.raises(CoreError, match="redan avbokad"):
        registration_cancel(actor=coordinator, registration=seated)


def test_cancelling_from_the_waiting_list_promotes_nobody(coordinator: User) -> None:
    activity = ActivityFactory.create(capacity=1)
    registration_create(actor=coordinator, activity=activity, person=PersonFactory.create())
    waiting = registration_create(actor=coordinator, activity=activity, person=PersonFactory.create())
    last = registration_create(actor=coordinator, activity=activity, person=PersonFactory.create())
    plan = registration_cancel(actor=coordinator, registration=waiting)
    assert plan.emailed == plan.to_phone == []
    assert Registration.objects.get(pk=last.pk).status == "waitlisted"


def test_more_seats_go_to_the_waiting_list_in_order(coordinator: User) -> None:
    activity = activity_create(actor=coordinator, data=weekly(capacity=1))
    people = [PersonFactory.create() for _ in range(4)]
    for person in people:
        registration_create(actor=coordinator, activity=activity, person=person)
    activity_update(actor=coordinator, activity=activity, data=weekly(capacity=3))
    statuses = [Registration.objects.get(activity=activity, person=p).status for p in people]
    assert statuses == ["registered", "registered", "registered", "waitlisted"]
