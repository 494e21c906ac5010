"""Time ``match_suggestions`` among many waiting people, in one tenant, leaving nothing behind.

    python manage.py bench_match_suggestions --tenant varnamo --people 5000 --people 100

For each size it fills the tenant with that many waiting people (half newcomers, half established, each
with a family: languages, interests, children, districts, times of the week, a few with same-gender wishes,
protected identity or an opt-out), times suggestions for sample requests, and rolls everything back.
Issue 11's ``make bench`` can call the same function.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from matching.models import DistrictNeighbour, MatchingOptOut, MatchRequest
from matching.selectors.matching import match_suggestions
from people.models import Consent, ConsentPurpose, Household, HouseholdRole, Person, PersonGroup
from tenants.models import Municipality

LANGUAGES = ["sv", "ar", "ti", "so", "fa", "prs", "en", "uk", "ku", "ps", "am", "es"]
INTERESTS = [
    "football",
    "cooking",
    "walks",
    "music",
    "crafts",
    "fishing",
    "gardening",
    "chess",
    "swimming",
    "reading",
    "running",
    "dance",
    "photography",
    "baking",
    "cycling",
    "handball",
    "singing",
    "outdoors",
]
DISTRICTS = [
    "centrum",
    "mossle",
    "bor",
    "forsheda",
    "bredaryd",
    "rydaholm",
    "tånnö",
    "horda",
    "kärda",
    "lanna",
]
TIMES = ["weekdays", "evenings", "weekends"]


class _Rollback(Exception):
    pass


def _families(
    rng: random.Random, households: list[Household], this_year: int
) -> tuple[list[Person], list[Person]]:
    """An adult in each household, newcomers and established in turn, and up to three children (unsaved)."""
    adults: list[Person] = []
    children: list[Person] = []
    for n, household in enumerate(households):
        group = PersonGroup.NEWCOMER if n % 2 == 0 else PersonGroup.ESTABLISHED
        adults.append(
            Person(
                household=household,
                first_name=f"Adult{n}",
                last_name=household.name,
                group=group,
                gender=rng.choice(["woman", "man"]),
                birth_year=rng.randint(1960, 2000),
                languages=rng.sample(LANGUAGES, rng.randint(1, 3)),
                interests=rng.sample(INTERESTS, rng.randint(0, 4)),
                district=household.district,
                protected_identity=rng.random() < 0.01,
            )
        )
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            children.append(
                Person(
                    household=household,
                    household_role=HouseholdRole.CHILD,
                    first_name="Child",
                    last_name=household.name,
                    group=group,
                    birth_year=rng.randint(this_year - 17, this_year - 1),
                )
            )
    return adults, children


def fill_waiting_list(people: int, seed: int = 8) -> list[int]:
    """``people`` waiting requests in the current schema; returns the newcomer requests' ids."""
    rng = random.Random(seed)
    this_year = timezone.localdate().year
    households = Household.objects.bulk_create(
        Household(name=f"Bench {n}", district=rng.choice(DISTRICTS)) for n in range(people)
    )
    adults, children = _families(rng, households, this_year)
    Person.objects.bulk_create(adults + children)
    children_by_household: dict[int, list[int]] = {}
    for child in children:
        birth_year = cast(int, child.birth_year)  # every child above has one
        children_by_household.setdefault(child.household_id or 0, []).append(birth_year)
    requests = MatchRequest.objects.bulk_create(
        MatchRequest(
            kind="friend_family",
            group=adult.group,
            person=adult,
            household=adult.household,
            languages=adult.languages,
            interests=adult.interests,
            children_birth_years=sorted(children_by_household.get(adult.household_id or 0, [])),
            district=adult.district,
            availability=rng.sample(TIMES, rng.randint(0, 3)),
            preferences=["same_gender"] if rng.random() < 0.05 else [],
        )
        for adult in adults
    )
    protected = [adult for adult in adults if adult.protected_identity]
    Consent.objects.bulk_create(
        Consent(person=adult, purpose=ConsentPurpose.SHARING, given=True) for adult in protected[::2]
    )
    MatchingOptOut.objects.bulk_create(
        MatchingOptOut(person=adult, opted_out=True) for adult in adults if rng.random() < 0.02
    )
    for a, b in [("bor", "centrum"), ("centrum", "mossle"), ("forsheda", "horda")]:
        DistrictNeighbour.objects.get_or_create(district_a=a, district_b=b)
    return [request.pk for request in requests if request.group == PersonGroup.NEWCOMER]


def time_suggestions(request_ids: list[int], limit: int = 10) -> list[float]:
    timings = []
    for pk in request_ids:
        started = time.perf_counter()
        match_suggestions(pk, limit)
        timings.append(time.perf_counter() - started)
    return timings


class Command(BaseCommand):
    help = "Time match suggestions among N waiting people (rolled back afterwards)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tenant", default="varnamo")
        parser.add_argument("--people", type=int, action="append", help="Waiting people; repeatable.")
        parser.add_argument("--samples", type=int, default=20, help="Requests timed per size.")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Municipality.objects.filter(schema_name=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant {options['tenant']!r}: run `make seed` first.")
        for people in options["people"] or [100, 5000]:
            with tenant:
                try:
                    with transaction.atomic():
                        newcomers = fill_waiting_list(people)
                        time_suggestions(newcomers[:2])  # warm up: first queries, imports
                        timings = time_suggestions(newcomers[: options["samples"]])
                        raise _Rollback
                except _Rollback:
                    pass
            timings.sort()
            self.stdout.write(
                f"{people:>6} waiting: median {statistics.median(timings) * 1000:.1f} ms, "
                f"max {timings[-1] * 1000:.1f} ms over {len(timings)} requests"
            )
