from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenants.models import ApplicationStatus, OnboardingApplication


class Command(BaseCommand):
    help = "List municipalities' sign-ups, newest first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--status", choices=ApplicationStatus.values, help="Only sign-ups in this status."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        applications = OnboardingApplication.objects.select_related("tenant")
        if options["status"]:
            applications = applications.filter(status=options["status"])
        self.stdout.write(
            f"{'id':>5}  {'status':<12} {'step':<10} {'address':<24} {'municipality':<22} e-mail"
        )
        for application in applications:
            seconds = application.seconds_to_ready
            ready = f"  ready in {seconds:.2f}s" if seconds is not None else ""
            self.stdout.write(
                f"{application.pk:>5}  {application.status:<12} {application.step:<10} {application.slug:<24} "
                f"{application.municipality_name:<22} {application.contact_email}{ready}"
            )
