"""factory_boy factories for households, people, partners and the activity rows visibility depends on.

Use them inside a tenant's schema (the ``in_varnamo`` fixture).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from core.models import (
    Activity,
    ActivityCategory,
    Attendance,
    AttendanceStatus,
    Household,
    Partner,
    PartnerContact,
    PartnerKind,
    Person,
    PersonGroup,
    Registration,
    RegistrationStatus,
    Session,
)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Familjen {n}")
    district = "Centrum"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Testsson"
    birth_year = 1985
    group = PersonGroup.NEWCOMER
    district = "Centrum"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"IFK Test {n}")
    kind = PartnerKind.CLUB


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Språkcafé {n}")
    category = ActivityCategory.LANGUAGE_CAFE


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    status = RegistrationStatus.REGISTERED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=2))
    scheduled_start = factory.LazyAttribute(lambda s: s.starts_at)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    status = AttendanceStatus.PRESENT
