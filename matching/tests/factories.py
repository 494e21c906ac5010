"""factory_boy factories for match requests, matches and pathways, and the families the matching tests
start from. Use them inside a tenant's schema (the ``in_varnamo`` fixture).

The factories write rows as they are, without the services' checks: for tests that need a match or a
pathway to exist (privacy, statistics). Tests of matching itself go through the services, starting from
``family()`` or ``family_request()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from activities.choices import Arena
from matching.choices import MatchKind
from matching.models import Match, MatchRequest, Pathway
from matching.services.matching import match_request_create
from people.choices import Gender, HouseholdRole, PersonGroup
from people.models import Household, Person
from people.tests.factories import HouseholdFactory, PersonFactory


class MatchRequestFactory(DjangoModelFactory[MatchRequest]):
    """An open request of the person's own group."""

    class Meta:
        model = MatchRequest

    kind = MatchKind.LANGUAGE_FRIEND
    person = factory.SubFactory(PersonFactory)
    group = factory.LazyAttribute(lambda r: r.person.group)


class MatchFactory(DjangoModelFactory[Match]):
    """A proposed match between a newcomer's and an established person's request, proposed today."""

    class Meta:
        model = Match

    kind = MatchKind.LANGUAGE_FRIEND
    newcomer_request = factory.SubFactory(
        MatchRequestFactory, kind=factory.SelfAttribute("..kind"), person__group=PersonGroup.NEWCOMER
    )
    established_request = factory.SubFactory(
        MatchRequestFactory, kind=factory.SelfAttribute("..kind"), person__group=PersonGroup.ESTABLISHED
    )
    proposed_on = factory.LazyFunction(timezone.localdate)


class PathwayFactory(DjangoModelFactory[Pathway]):
    """A pathway at its first stage, reached today."""

    class Meta:
        model = Pathway

    person = factory.SubFactory(PersonFactory)
    arena = Arena.CLUB_LIFE
    goal = "Fotboll i klubb"
    stage_on = factory.LazyFunction(timezone.localdate)


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
    household = HouseholdFactory(district=district, **({"name": name} if name else {}))
    adult = PersonFactory(
        household=household,
        group=group,
        last_name=household.name,
        languages=list(languages),
        interests=list(interests),
        gender=gender,
        district=district,
    )
    for year in children_birth_years:
        PersonFactory(
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
    """A family (see ``family``) asking for a match through the service, as a coordinator would."""
    household, adult = family(group=group, **family_kwargs)
    return match_request_create(
        person=adult,
        household=household,
        kind=kind,
        availability=availability,
        preferences=preferences,
        today=today,
    )
