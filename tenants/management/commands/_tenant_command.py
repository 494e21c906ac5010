"""Shared shape of the commands that change one space's status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Municipality
from tenants.services import TenantError


class TenantStatusCommand(BaseCommand):
    service: Callable[..., Municipality]
    done: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The space's address, e.g. gnosjo.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tenant = type(self).service(slug=options["slug"])
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(self.done.format(slug=tenant.schema_name)))
