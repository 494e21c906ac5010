"""factory_boy factories for the activity tests. Use them inside a tenant's schema (the ``in_varnamo``
fixture)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityCategory,
    Attendance,
    AttendanceStatus,
    Project,
    Registration,
    RegistrationStatus,
    ScheduleKind,
    Session,
)
from people.models import Consent, ConsentPurpose, Gender, Person, PersonGroup


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Testperson{n}")
    last_name = "Testsson"
    birth_year = 1990
    gender = Gender.WOMAN
    group = PersonGroup.NEWCOMER


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    """An activity without a schedule of its own: add sessions with SessionFactory."""

    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Testaktivitet {n}")
    category = ActivityCategory.OTHER
    schedule_kind = ScheduleKind.SINGLE


def local(day: dt.date, hour: int = 18, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at: factory.declarations.BaseDeclaration = factory.Sequence(
        lambda n: local(timezone.localdate() - dt.timedelta(days=n + 1))
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=1, minutes=30))
    scheduled_start = factory.LazyAttribute(lambda s: s.starts_at)


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    status = RegistrationStatus.REGISTERED


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.PRESENT


class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.CONTACT
    given = True


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Testprojekt {n}")
    funder_kind = "arvsfonden"
    starts_on = dt.date(2025, 1, 1)
    ends_on = dt.date(2027, 12, 31)
