from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.services import TenantError, tenant_delete


class Command(BaseCommand):
    help = "Delete an archived space for good. Asks you to type its address (or pass --confirm ADDRESS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The space's address, e.g. gnosjo.")
        parser.add_argument("--confirm", help="The address again, to confirm without a prompt.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        confirmation = options["confirm"]
        if confirmation is None:
            confirmation = input(f"This deletes {slug} and all its data for good. Type {slug!r} to confirm: ")
        try:
            tenant_delete(slug=slug, confirmation=confirmation)
        except TenantError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Deleted {slug}."))
