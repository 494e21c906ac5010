"""Reconcile every tenant's subscription with Stripe now: what Celery beat does each night at 04:00."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from billing.services import billing_subscriptions_reconcile


class Command(BaseCommand):
    help = "Ask Stripe for every tenant's subscription and correct what differs (logged field by field)."

    def handle(self, *args: Any, **options: Any) -> None:
        corrected = billing_subscriptions_reconcile()
        self.stdout.write(f"Corrected {corrected} account(s); the log says what changed.")
