"""Background work of billing. Tasks load and call a service; the logic lives in billing.inbox and .services.

Stripe events are not retried through Celery (an hours-long countdown would sit in the broker, and a lost
message would lose the event): each attempt's outcome is written to the inbox table, and the beat sweep
``stripe_events_retry_due`` makes the attempts that are due. A worker that dies mid-event is covered the
same way.
"""

from __future__ import annotations

from billing import inbox, services
from ivplatform.celery import app


@app.task(acks_late=True)
def stripe_event_handle(event_pk: int) -> str | None:
    """First attempt at an event the webhook has just stored; then a few other attempts that are due."""
    status = inbox.stripe_event_process(event_pk=event_pk)
    inbox.stripe_events_process_due(limit=inbox.DUE_PER_DELIVERY)
    return status


@app.task(acks_late=True)
def stripe_events_retry_due() -> int:
    """Every minute (Celery beat): the attempts at stored Stripe events that are due."""
    return inbox.stripe_events_process_due()


@app.task
def billing_statuses_refresh() -> int:
    """Daily (Celery beat): trials and grace periods end with time; move the tenants whose status changed."""
    return services.billing_statuses_refresh()


@app.task
def billing_subscriptions_reconcile() -> int:
    """Nightly (Celery beat): ask Stripe for every tenant's subscription and correct drift. Returns fixes."""
    return services.billing_subscriptions_reconcile()
