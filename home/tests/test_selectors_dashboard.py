"""The start page's figures count what happened this month, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from activities.tests.factories import AttendanceFactory, SessionFactory
from home.selectors import (
    attendances_per_month,
    month_figures,
    month_start,
    participants_by_age_and_gender,
)
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_this_months_figures_count_new_marks_people_and_sessions(coordinator: User) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    before = month_figures(actor=coordinator, today=today, now=now)

    start = max(month_start(today), now - dt.timedelta(hours=1))
    held = SessionFactory(starts_at=start)
    SessionFactory(
        activity=held.activity,
        starts_at=start,
        scheduled_start=start - dt.timedelta(days=400),
        status="cancelled",
    )
    newcomers = PersonFactory.create_batch(2)
    for person in newcomers:
        AttendanceFactory(session=held, person=person, status="present")
    AttendanceFactory(session=held, status="absent")
    AttendanceFactory(session=held, status="excused")
    # Last month's mark of one of them does not count this month.
    AttendanceFactory(
        session=SessionFactory(activity=held.activity, starts_at=month_start(today) - dt.timedelta(days=3)),
        person=newcomers[0],
    )

    after = month_figures(actor=coordinator, today=today, now=timezone.now())
    assert after.participants - before.participants == 2
    assert after.attendances - before.attendances == 2
    assert after.sessions_held - before.sessions_held == 1
    assert after.new_people - before.new_people == 4  # two present, one absent, one excused


def test_the_month_chart_has_twelve_months_ending_with_this_one(coordinator: User) -> None:
    today = timezone.localdate()
    before = attendances_per_month(actor=coordinator, today=today)
    SessionFactory()  # nothing marked
    AttendanceFactory(
        session=SessionFactory(starts_at=max(month_start(today), timezone.now() - dt.timedelta(hours=1)))
    )
    after = attendances_per_month(actor=coordinator, today=today)
    assert len(after) == 12
    assert after[-1].month == today.replace(day=1)
    assert after[0].month.month == (today.month % 12) + 1
    assert after[-1].attendances - before[-1].attendances == 1
    assert [a.attendances for a in after[:-1]] == [b.attendances for b in before[:-1]]


def test_participants_are_counted_once_by_age_band_and_gender(coordinator: User) -> None:
    today = timezone.localdate()
    before = participants_by_age_and_gender(actor=coordinator, today=today)
    girl = PersonFactory(birth_year=today.year - 10, gender="woman")
    for days in (2, 9):
        AttendanceFactory(
            person=girl, session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=days))
        )
    AttendanceFactory(
        person=PersonFactory(birth_year=None, gender="man"),
        session=SessionFactory(starts_at=timezone.now() - dt.timedelta(days=1)),
    )
    after = participants_by_age_and_gender(actor=coordinator, today=today)
    assert after["7-12"]["woman"] - before["7-12"]["woman"] == 1
    assert after["unknown"]["man"] - before["unknown"]["man"] == 1


def test_the_coordinators_figures_take_a_fixed_number_of_queries(coordinator: User) -> None:
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        month_figures(actor=coordinator, today=today, now=timezone.now())
        attendances_per_month(actor=coordinator, today=today)
        participants_by_age_and_gender(actor=coordinator, today=today)
    assert sum(1 for q in queries.captured_queries if not q["sql"].startswith("SET")) == 5
