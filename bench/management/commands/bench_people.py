"""Time the people list and its search with 100 and with 20,000 people, and print the ratio.

Runs inside one transaction in a municipality's schema and rolls it back, so it leaves nothing behind:
``manage.py bench_people --tenant varnamo``. The pages are fetched in-process through Django's test client
as the tenant's demo coordinator, so the figures are the server's own time (queries, templates).
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from people.choices import PersonGroup
from people.models import Household, Person
from tenants.models import Municipality

FIRST = ["Amal", "Yousef", "Karin", "Lars", "Fatima", "Ahmed", "Anna", "Erik", "Sara", "Omar", "Maria", "Ali"]
LAST = [
    "Haddad",
    "Andersson",
    "Johansson",
    "Mohammed",
    "Karlsson",
    "Nilsson",
    "Hassan",
    "Lind",
    "Abdi",
    "Berg",
]
PAGES = [
    ("list", "/staff/people/"),
    ("search name", "/staff/people/?q=ande"),
    ("search phone", "/staff/people/?q=070-55"),
    ("search 2 words", "/staff/people/?q=amal+hadd"),
    ("filter + sort", "/staff/people/?group=newcomer&age_band=26-64&sort=-age"),
    ("last page", "/staff/people/?page=last"),
]


def people_fill(*, size: int) -> None:
    """``size`` people (half of them in households of about two) in the current schema, analysed.

    ``make bench``'s people-list figure fills its tenants with this too.
    """
    rng = random.Random(size)
    households = Household.objects.bulk_create(
        Household(name=rng.choice(LAST)) for _ in range(max(1, size // 4))
    )
    Person.objects.bulk_create(
        (
            Person(
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                birth_year=rng.randint(1940, 2023),
                group=rng.choice(PersonGroup.values),
                phone=f"+467{rng.randint(0, 99_999_999):08d}",
                email=f"p{i}@example.se",
                household=rng.choice(households) if i % 2 else None,
            )
            for i in range(size)
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_person")


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the people list with 100 and 20,000 people (rolled back afterwards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", default="varnamo")
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--sizes", default="100,20000")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Municipality.objects.filter(schema_name=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant {options['tenant']!r}: run `make seed` first.")
        sizes = [int(size) for size in options["sizes"].split(",")]
        results: dict[int, dict[str, float]] = {}
        for size in sizes:
            try:
                with tenant, transaction.atomic():
                    results[size] = self._measure(tenant, size, options["repeat"])
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(f"{'page':<16}" + "".join(f"{size:>12,} ppl" for size in sizes) + "      ratio")
        for name, _path in PAGES:
            times = [results[size][name] for size in sizes]
            ratio = times[-1] / times[0] if times[0] else 0
            self.stdout.write(f"{name:<16}" + "".join(f"{t:>13.1f} ms" for t in times) + f"{ratio:>10.2f}x")

    def _measure(self, tenant: Municipality, size: int, repeat: int) -> dict[str, float]:
        people_fill(size=size)
        user = User.objects.get(email=f"{Role.COORDINATOR.value}@{tenant.schema_name}.demo")
        client = Client(HTTP_HOST=f"{tenant.schema_name}.{settings.BASE_DOMAIN}")
        client.force_login(user)
        timings: dict[str, float] = {}
        for name, path in PAGES:
            client.get(path)  # warm up
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{path} answered {response.status_code}")
            timings[name] = statistics.median(samples)
        return timings
