"""Factories for the local network's data, used by the statistics tests (inside a tenant's schema)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from activities.models import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    AttendanceStatus,
    FunderKind,
    Project,
    Session,
)
from people.models import Gender, Household, Person, PersonGroup

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: dt.date, hour: int = 17) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Familj {n}")


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Testsson"
    gender = Gender.WOMAN
    group = PersonGroup.NEWCOMER
    birth_year = 1990


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    category = ActivityCategory.LANGUAGE_CAFE
    arena = Arena.COMMUNITY_LIFE


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyFunction(lambda: at(dt.date(2026, 1, 15)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=90))
    scheduled_start = factory.LazyAttribute(lambda o: o.starts_at)


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.PRESENT


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Projekt {n}")
    funder_kind = FunderKind.ARVSFONDEN
    starts_on = dt.date(2025, 1, 1)
    ends_on = dt.date(2027, 12, 31)
