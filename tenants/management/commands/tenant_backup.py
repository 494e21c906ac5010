from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tenants.backup import BackupError, tenant_backup


class Command(BaseCommand):
    help = "Write a backup of one tenant (its schema and its tenant row) to a file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug", help="The tenant's slug (its schema name), e.g. varnamo.")
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Where to write the backup (default: ./<slug>-<UTC time>.ivbackup).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        output = options["output"] or Path(f"{slug}-{timezone.now():%Y%m%dT%H%M%SZ}.ivbackup")
        try:
            path = tenant_backup(slug=slug, output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup of {slug} written to {path}"))
