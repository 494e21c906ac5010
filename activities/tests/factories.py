"""factory_boy factories for activities, their sessions, registrations and attendance, and projects. Use
them inside a tenant's schema (the ``in_varnamo`` fixture).

An activity is a one-off of no particular kind unless a test says more; sessions lie in the past, one day
apart, so attendance can be recorded on them.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from activities.choices import (
    ActivityCategory,
    AttendanceStatus,
    FunderKind,
    RegistrationStatus,
    ScheduleKind,
)
from activities.models import Activity, Attendance, Project, Registration, Session
from people.tests.factories import PersonFactory


def local(day: dt.date, hour: int = 18, minute: int = 0) -> dt.datetime:
    """``day`` at ``hour``:``minute``, Swedish time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class ActivityFactory(DjangoModelFactory[Activity]):
    """An activity without a schedule of its own: add sessions with SessionFactory."""

    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Testaktivitet {n}")
    category = ActivityCategory.OTHER
    schedule_kind = ScheduleKind.SINGLE


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.Sequence(lambda n: local(timezone.localdate() - dt.timedelta(days=n + 1)))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1, minutes=30))
    scheduled_start = factory.LazyAttribute(lambda s: s.starts_at)


class RegistrationFactory(DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    status = RegistrationStatus.REGISTERED


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.PRESENT


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Testprojekt {n}")
    funder_kind = FunderKind.ARVSFONDEN
    starts_on = dt.date(2025, 1, 1)
    ends_on = dt.date(2027, 12, 31)
