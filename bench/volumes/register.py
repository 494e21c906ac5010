"""People and households: 20,000 people in a large municipality, 2,000 in a medium one, 200 in a small one.

Half of them live in households of about two, as in ``people_fill`` (``manage.py bench_people``); birth years,
groups and genders are drawn so that every age band and group has people. The association holds none.
"""

from __future__ import annotations

from django.db import connection

from bench.management.commands.bench_people import FIRST, LAST
from bench.plan import BenchTenant
from bench.volumes import tenant_volumes
from people.choices import Gender, PersonGroup
from people.models import Household, Person

BATCH = 2000


def people_count(tenant: BenchTenant) -> int:
    return 0 if tenant.is_association else tenant.scale(large=20_000, medium=2_000, small=200)


@tenant_volumes(name="register", version="1", order=20)
def register(tenant: BenchTenant) -> int:
    size = people_count(tenant)
    if not size:
        return 0
    rng = tenant.random("register")
    households = Household.objects.bulk_create(
        (Household(name=rng.choice(LAST)) for _ in range(max(1, size // 4))), batch_size=BATCH
    )
    people = Person.objects.bulk_create(
        (
            Person(
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                birth_year=rng.randint(1940, 2023),
                gender=rng.choice((Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.OTHER)),
                group=rng.choice(PersonGroup.values),
                phone=f"+467{rng.randint(0, 99_999_999):08d}",
                email=f"p{number}@{tenant.slug}.example.se",
                household=rng.choice(households) if number % 2 else None,
            )
            for number in range(size)
        ),
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_household, core_person")
    return len(households) + len(people)
