"""Background work of billing. Tasks load and call a service; the logic lives in billing.services."""

from __future__ import annotations

import json

import stripe
from celery import Task

from billing import services
from ivplatform.celery import app


@app.task(bind=True, max_retries=8, default_retry_delay=30, acks_late=True)
def stripe_event_handle(self: Task, payload: str) -> bool:
    """Handle one Stripe event whose signature the webhook view has verified.

    It takes the event itself rather than an id: the event is the data, and Stripe keeps it only for 30 days.
    A failure rolls back both the effect and the stored event id, so a retry (ours or Stripe's) starts clean.
    """
    try:
        return services.stripe_event_process(event=json.loads(payload))
    except (services.BillingError, stripe.StripeError) as exc:  # Stripe unreachable while re-reading: later
        raise self.retry(exc=exc) from exc


@app.task
def billing_statuses_refresh() -> int:
    """Daily (Celery beat): trials and grace periods end with time; move the tenants whose status changed."""
    return services.billing_statuses_refresh()
