"""Factories for households, people and partners, built on the shared ones in core/tests/factories.py.

The people tests want a little more on each row (a district, a language café, a session a week ago), so the
shared factories are specialised here rather than written again. Use them inside a tenant's schema (the
``in_varnamo`` fixture).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from activities.models import ActivityCategory, ScheduleKind
from partners.models import Partner, PartnerContact, PartnerKind
from people.models import Gender, Household
from tests.support import factories as shared


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Familjen {n}")
    district = "Centrum"


class PersonFactory(shared.PersonFactory):
    first_name = factory.Sequence(lambda n: f"Person{n}")
    birth_year = 1985
    gender = Gender.NOT_STATED
    district = "Centrum"


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"IFK Test {n}")
    kind = PartnerKind.CLUB


class PartnerContactFactory(factory.django.DjangoModelFactory[PartnerContact]):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")


class ActivityFactory(shared.ActivityFactory):
    title = factory.Sequence(lambda n: f"Språkcafé {n}")
    category = ActivityCategory.LANGUAGE_CAFE
    schedule_kind = ScheduleKind.WEEKLY


class RegistrationFactory(shared.RegistrationFactory):
    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)


class SessionFactory(shared.SessionFactory):
    activity = factory.SubFactory(ActivityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=2))


class AttendanceFactory(shared.AttendanceFactory):
    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
