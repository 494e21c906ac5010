"""``manage.py stats_utility [--tenant SLUG] [--recompute] [--markdown]``: how useful the board's figures are.

Compares every published figure of a closed period with the rollup's true count (``stats.utility``): the share
of non-zero figures shown, deviations, relative errors, totals against their parts. With ``--recompute`` the
statistics are recomputed (and published) first, as ``stats_recompute`` would. ``--markdown`` prints the
table as docs/statistics.md has it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stats.services import stats_tenants, tenant_recompute
from stats.utility import utility_markdown, utility_measure
from tenants.connection import tenant_connection
from tenants.models import Municipality


class Command(BaseCommand):
    help = "How far the board's published figures are from the truth, and how many are shown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", metavar="SLUG", help="Only this municipality.")
        parser.add_argument("--recompute", action="store_true", help="Recompute and publish first.")
        parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("tenant")
        if slug:
            tenant = Municipality.objects.filter(schema_name=slug).first()
            if tenant is None:
                raise CommandError(f"No municipality with the address {slug!r}.")
            tenants = [tenant]
        else:
            tenants = stats_tenants()
        if options["recompute"]:
            for tenant in tenants:
                tenant_recompute(tenant=tenant)
            tenant_connection().set_schema_to_public()
        utility = utility_measure(tenant_ids=[tenant.pk for tenant in tenants])
        if options["markdown"]:
            where = tenants[0].name if slug else "This database"
            self.stdout.write(utility_markdown(utility, where=where, day=timezone.localdate()))
            return
        self.stdout.write(
            f"{utility.municipalities} municipalities, {utility.figures:,} published figures of closed periods"
        )
        for what, measured, goal in utility.lines():
            self.stdout.write(f"{what:70} {measured:>10}   goal {goal}")
