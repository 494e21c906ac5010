"""Factories and fixtures for the matching and pathway tests.

Kept local to these tests (the people helpers may bring shared factories; the lead unifies them at merge).
The fixtures ``in_varnamo`` and ``coordinator`` live in ``core/tests/conftest.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import factory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factory.django import DjangoModelFactory

from accounts.models import User
from accounts.roles import Role
from matching.models import MatchRequest
from matching.services.matching import match_request_create
from partners.models import Partner, PartnerKind
from people.models import Consent, ConsentPurpose, Gender, Household, HouseholdRole, Person, PersonGroup
from tenants.connection import tenant_connection

T = TypeVar("T")


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Family {n}")
    district = "Centrum"


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Test"
    group = PersonGroup.NEWCOMER
    gender = Gender.WOMAN
    birth_year = 1985
    languages = factory.LazyFunction(lambda: ["sv"])
    interests = factory.LazyFunction(list)


class PartnerFactory(DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"IFK Club {n}")
    kind = PartnerKind.CLUB


def family(
    *,
    group: str = PersonGroup.NEWCOMER,
    name: str | None = None,
    district: str = "Centrum",
    languages: Sequence[str] = ("sv",),
    interests: Sequence[str] = (),
    children_birth_years: Sequence[int] = (),
    gender: str = Gender.WOMAN,
) -> tuple[Household, Person]:
    """A household with one adult (returned) and children born in the given years."""
    household = HouseholdFactory.create(district=district, **({"name": name} if name else {}))
    adult = PersonFactory.create(
        household=household,
        group=group,
        last_name=household.name,
        languages=list(languages),
        interests=list(interests),
        gender=gender,
        district=district,
    )
    for year in children_birth_years:
        PersonFactory.create(
            household=household,
            household_role=HouseholdRole.CHILD,
            group=group,
            last_name=household.name,
            birth_year=year,
        )
    return household, adult


def family_request(
    *,
    group: str = PersonGroup.NEWCOMER,
    kind: str = "friend_family",
    today: dt.date | None = None,
    availability: Sequence[str] = (),
    preferences: Sequence[str] = (),
    **family_kwargs: Any,
) -> MatchRequest:
    household, adult = family(group=group, **family_kwargs)
    return match_request_create(
        person=adult,
        household=household,
        kind=kind,
        availability=availability,
        preferences=preferences,
        today=today,
    )


@contextmanager
def assert_queries(expected: int) -> Iterator[None]:
    """Exactly ``expected`` SQL queries, not counting django-tenants' ``SET search_path`` per cursor."""
    with CaptureQueriesContext(connection) as context:
        yield
    queries = [q["sql"] for q in context.captured_queries if not q["sql"].startswith("SET search_path")]
    assert len(queries) == expected, f"{len(queries)} queries, not {expected}:\n" + "\n".join(queries)


def consent(person: Person, purpose: str = ConsentPurpose.SHARING, *, given: bool) -> Consent:
    return Consent.objects.create(person=person, purpose=purpose, given=given)


def staff_user(role: Role) -> User:
    """The current tenant's demo user with ``role`` (seeded in every demo tenant)."""
    return User.objects.get(email=f"{role.value}@{tenant_connection().schema_name}.demo")


def in_own_connection(function: Callable[[], T]) -> T:
    """Run ``function`` in a thread, on that thread's own connection: autocommit, outside the test's
    transaction, so another process (a Celery worker) or the live server's threads see what it writes."""

    def run() -> T:
        try:
            return function()
        finally:
            tenant_connection().set_schema_to_public()
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
