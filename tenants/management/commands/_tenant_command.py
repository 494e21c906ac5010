"""Shared shape of the commands that change one space's status."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.models import Municipality
from tenants.services import TenantError


class TenantStatusCommand(BaseCommand):
    service: Callable[..., Municipality]
    done: str
    # Holds (suspend, archive) record why and who: the reason is shown to the space's admins.
    sets_hold = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The space's address, e.g. gnosjo.")
        if self.sets_hold:
            parser.add_argument("--reason", required=True, help="Why; the space's admins see it.")
            parser.add_argument(
                "--by", default="", help="Who sets it (default: your user name on this machine)."
            )

    def handle(self, *args: Any, **options: Any) -> None:
        arguments: dict[str, str] = {"slug": options["slug"]}
        if self.sets_hold:
            arguments["reason"] = options["reason"]
            arguments["set_by"] = options["by"] or f"{getpass.getuser()} (manage.py)"
        try:
            tenant = type(self).service(**arguments)
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(self.done.format(slug=tenant.schema_name)))
