"""Make the attempts at stored Stripe events that are due, now: what Celery beat does every minute.

For a deployment without a worker (inline), run it from cron; operators run it with ``--now`` after an
outage of Stripe has ended, so waiting events need not sit out their pause (up to six hours).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from billing.inbox import stripe_events_process_due
from billing.models import StripeEvent, StripeEventStatus


class Command(BaseCommand):
    help = "Process the stored Stripe events whose next attempt is due (--now: every waiting event)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="At most this many events (500).")
        parser.add_argument(
            "--now", action="store_true", help="Do not wait for the pauses: try every waiting event now."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            StripeEvent.objects.filter(status=StripeEventStatus.PENDING).update(
                next_attempt_at=timezone.now()
            )
        tried = stripe_events_process_due(limit=options["limit"])
        pending = StripeEvent.objects.filter(status=StripeEventStatus.PENDING).count()
        failed = StripeEvent.objects.filter(status=StripeEventStatus.FAILED).count()
        self.stdout.write(f"Tried {tried} due event(s). Now pending: {pending}, failed: {failed}.")
