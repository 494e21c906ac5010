"""Make the attempts at stored Stripe events that are due, now: what Celery beat does every minute.

For a deployment without a worker (inline), run it from cron; operators may run it by hand after fixing
what made events wait.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from billing.inbox import stripe_events_process_due
from billing.models import StripeEvent, StripeEventStatus


class Command(BaseCommand):
    help = "Process the stored Stripe events whose next attempt is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="At most this many events (500).")

    def handle(self, *args: Any, **options: Any) -> None:
        tried = stripe_events_process_due(limit=options["limit"])
        counts = {
            status.label: StripeEvent.objects.filter(status=status).count()
            for status in (StripeEventStatus.PENDING, StripeEventStatus.FAILED)
        }
        self.stdout.write(
            f"Tried {tried} due event(s). Now pending: {counts[StripeEventStatus.PENDING.label]}, "
            f"failed: {counts[StripeEventStatus.FAILED.label]}."
        )
