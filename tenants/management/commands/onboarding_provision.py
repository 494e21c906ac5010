from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.onboarding import OnboardingError, application_provision


class Command(BaseCommand):
    help = "Provision a confirmed (or approved) sign-up now, or try a failed one again, in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "application_id", type=int, help="The sign-up's id (see onboarding_applications)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            tenant = application_provision(application_id=options["application_id"])
        except OnboardingError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{tenant.name} is ready at {tenant.schema_name} ({time.perf_counter() - started:.2f}s)."
            )
        )
