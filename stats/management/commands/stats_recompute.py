"""``manage.py stats_recompute [--tenant SLUG]``: recompute the statistics rollup by hand, with progress."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from stats.services import StatsError, stats_tenants, tenant_recompute
from tenants.models import Municipality


class Command(BaseCommand):
    help = "Recompute the statistics rollup from each municipality's own tables (all ready ones, or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", metavar="SLUG", help="Only this municipality.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("tenant")
        if slug:
            tenant = Municipality.objects.filter(schema_name=slug).first()
            if tenant is None:
                raise CommandError(f"No municipality with the address {slug!r}.")
            tenants = [tenant]
        else:
            tenants = stats_tenants()
        total = len(tenants)
        started = time.monotonic()
        rows = 0
        for done, tenant in enumerate(tenants, start=1):
            try:
                rows += tenant_recompute(tenant=tenant)
            except StatsError as error:
                raise CommandError(str(error)) from error
            width = 30
            filled = width * done // max(total, 1)
            self.stdout.write(
                f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {tenant.schema_name}",
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Recomputed {total} municipalities, {rows} figures, in {time.monotonic() - started:.1f} s."
            )
        )
