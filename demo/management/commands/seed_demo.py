from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_TENANTS, DemoSeedRefused, demo_email, demo_roles, demo_seed
from tenants.selectors import tenant_host


class Command(BaseCommand):
    help = "Create the demo municipalities, the association and their logins (safe to run again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="The port the demo is served on.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_seed(log=self.stdout.write)
        except DemoSeedRefused as exc:
            raise CommandError(str(exc)) from exc
        # The demo's year of activity is bulk-inserted, past the services that keep the statistics in step:
        # recompute them once so the association's dashboards have figures from the start.
        call_command("stats_recompute", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        port = options["port"]
        base = settings.BASE_DOMAIN
        self.stdout.write(f"  Public site:          http://{base}:{port}/  (operators: /admin/)")
        for demo in DEMO_TENANTS:
            self.stdout.write(f"  {demo.name + ':':<21} http://{tenant_host(demo.slug)}:{port}/")
            for role in demo_roles(demo.kind):
                self.stdout.write(f"      {demo_email(role, demo.slug)}")
        self.stdout.write(f"  Password for every demo login: {settings.DEMO_PASSWORD}")
        self.stdout.write(
            "  Admin and board logins also ask for a two-factor code. Add this key to an authenticator app\n"
            f"  (time-based, 6 digits, every 30 seconds): {settings.DEMO_TOTP_SECRET}\n"
            f"  or print the current code with: oathtool --totp -b {settings.DEMO_TOTP_SECRET}\n"
            "  (production refuses codes made with this key, like the demo password)"
        )
