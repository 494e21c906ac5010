from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tenants.backup import BackupError, tenant_restore
from tenants.selectors import tenant_host


class Command(BaseCommand):
    help = "Restore a tenant backup under its own slug (if free) or a new one, with its host."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="A file written by tenant_backup.")
        parser.add_argument("--slug", required=True, help="The slug (schema and host) to restore under.")
        parser.add_argument("--name", default="", help="A new display name (default: the backup's).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["file"].is_file():
            raise CommandError(f"{options['file']} does not exist.")
        try:
            tenant = tenant_restore(path=options["file"], slug=options["slug"], name=options["name"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {tenant.name} as {tenant.schema_name} at {tenant_host(tenant.schema_name)}"
            )
        )
