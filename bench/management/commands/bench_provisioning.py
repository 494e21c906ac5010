"""How long a new space takes: cloned from the template versus migrated from scratch, among many tenants.

Run it against a scratch database, never production (it creates and removes spaces named bench-…):

    DATABASE_URL=postgres://…/scratch manage.py migrate_schemas --noinput
    DATABASE_URL=postgres://…/scratch manage.py bench_provisioning --tenants 300 --runs 5

Each run opens a fresh database connection first, as a Celery task does (CONN_MAX_AGE=0), so first-call
costs (the clone function's plans, Django's migration loader) are counted.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import override_settings

from accounts.roles import Role
from accounts.services import user_create
from ivplatform.celery import app as celery_app
from tenants.connection import tenant_connection
from tenants.models import ApplicationStatus, Municipality, OnboardingApplication, TenantStatus
from tenants.municipalities import all_municipalities
from tenants.onboarding import LinkOrigin, application_confirm, application_create, application_token
from tenants.services import public_tenant_ensure, tenant_create, tenant_remove

FILLER = "bench-{:04d}"


class Command(BaseCommand):
    help = "Measure provisioning by template clone against running all migrations, with N tenants present."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenants", type=int, default=300, help="Tenants present before measuring.")
        parser.add_argument("--runs", type=int, default=3, help="New spaces made each way.")
        parser.add_argument("--keep", action="store_true", help="Keep the filler tenants for another run.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_SEED_ALLOWED:
            raise CommandError("Refused in production: the bench creates and deletes spaces.")
        # Inline tasks and e-mail kept in memory: the bench measures the work, not a broker or a mailbox.
        celery_app.conf.task_always_eager = True
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._bench(options)

    def _bench(self, options: dict[str, Any]) -> None:
        public_tenant_ensure(domain=settings.BASE_DOMAIN)
        self._fill(options["tenants"])
        present = Municipality.objects.exclude(schema_name="public").count()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s", [settings.TENANT_BASE_SCHEMA]
            )
            tables = cursor.fetchone()[0]
        self.stdout.write(f"{present} tenants present; the template schema has {tables} tables.")

        runs = options["runs"]
        onboarding = self._measure("sign-up confirmed → ready (clone)", runs, self._onboard)
        cloned = self._measure("tenant + admin, cloned", runs, lambda n: self._tenant(n, clone=True))
        migrated = self._measure("tenant + admin, migrated", runs, lambda n: self._tenant(n, clone=False))
        self.stdout.write(
            self.style.SUCCESS(
                f"Migrating takes {migrated / cloned:.1f}× as long as cloning "
                f"(median {migrated:.2f}s against {cloned:.2f}s); a whole sign-up is ready {onboarding:.2f}s "
                "after its e-mail is confirmed."
            )
        )
        if not options["keep"]:
            for tenant in Municipality.objects.filter(schema_name__startswith="bench-"):
                tenant_remove(tenant=tenant)

    def _fill(self, count: int) -> None:
        existing = set(
            Municipality.objects.filter(schema_name__startswith="bench-").values_list(
                "schema_name", flat=True
            )
        )
        missing = [FILLER.format(n) for n in range(1, count + 1) if FILLER.format(n) not in existing]
        started = time.perf_counter()
        for index, slug in enumerate(missing, 1):
            tenant_create(slug=slug, name=slug, status=TenantStatus.ACTIVE)
            if index % 50 == 0:
                self.stdout.write(
                    f"  {index}/{len(missing)} filler tenants made ({time.perf_counter() - started:.0f}s)"
                )

    def _measure(self, label: str, runs: int, make: Callable[[int], float]) -> float:
        """``make`` does one run and returns the seconds of the part that counts."""
        seconds = [make(number) for number in range(runs)]
        median = statistics.median(seconds)
        shown = ", ".join(f"{s:.2f}" for s in seconds)
        self.stdout.write(f"{label:<36} median {median:.2f}s  ({shown})")
        return median

    def _onboard(self, number: int) -> float:
        # Unclaimed municipalities, so each run is a real sign-up, confirmed; provisioning runs inline here.
        taken = set(Municipality.objects.values_list("municipality_code", flat=True))
        taken |= set(OnboardingApplication.objects.values_list("municipality_code", flat=True))
        municipality = next(m for m in all_municipalities() if m.code not in taken)
        application = application_create(
            municipality_code=municipality.code,
            slug=f"bench-signup-{number}",
            organisation="Bench",
            contact_name="Bench",
            contact_email=f"bench{number}@example.se",
            accepted_terms=True,
            accepted_dpa=True,
            language="sv",
            origin=LinkOrigin("http", "8000"),
        )
        token = application_token(application)
        connection.close()  # a fresh connection, as each Celery task gets
        started = time.perf_counter()
        application_confirm(token=token)  # tasks run inline here: this returns when the space is ready
        elapsed = time.perf_counter() - started
        application.refresh_from_db()
        if application.status != ApplicationStatus.READY:
            raise CommandError(f"{application} did not become ready: {application.failure_detail}")
        tenant = application.tenant
        OnboardingApplication.objects.filter(pk=application.pk).delete()
        if tenant is not None:
            tenant_remove(tenant=tenant)
        return elapsed

    def _tenant(self, number: int, *, clone: bool) -> float:
        slug = f"bench-{'clone' if clone else 'migrate'}-{number}"
        connection.close()
        started = time.perf_counter()
        # Without the fake-migrations setting django-tenants creates the schema and runs every migration.
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=clone):
            tenant = tenant_create(slug=slug, name=slug)
        with tenant:
            user_create(email=f"admin@{slug}.example.se", role=Role.ADMIN)
        elapsed = time.perf_counter() - started
        tenant_connection().set_schema_to_public()
        tenant_remove(tenant=tenant)
        return elapsed
