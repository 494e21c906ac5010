"""The webhook's inbox: every verified Stripe event is stored first, then processed from the table.

Stripe does not send an event again once it got a 200 for it, so nothing may stand between the answer
and a durable copy of the event:

1. ``stripe_event_receive`` (the webhook view) verifies the signature and stores the raw event, committed
   before Stripe gets its 200. A repeated delivery finds the row and adds nothing.
2. ``stripe_event_process`` makes one attempt at one stored event, under its row lock (a second worker
   skips it), and marks it processed in the same transaction as its effect.
3. An attempt that fails for a reason that may pass (Stripe unreachable, a database restart, anything
   unexpected) schedules the next one after a growing pause (``RETRY_DELAYS``: a minute, …, then every six
   hours), for ``STRIPE_EVENT_RETRY_HOURS`` after the event arrived (three days, as Stripe retries its own
   deliveries). One that cannot pass (Stripe answers 404 for the object, or refuses the request) fails at
   once, with the reason. ``stripe_events_process_due`` runs the attempts that are due: Celery beat calls it
   every minute, each delivery calls it for a few, and ``manage.py stripe_events_process`` does it by hand.
4. Failed events wait for an operator (Django admin → Stripe events, and ``/billing/operator/``), who reads
   the error and has the event processed again (``stripe_event_retry``).

The same functions run in worker mode (Celery on Redis) and inline (no broker): only where the task runs
differs. A worker that dies mid-event loses nothing: its transaction is rolled back with its connection,
the event is still pending and due, and the next sweep takes it.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from billing.models import StripeEvent, StripeEventStatus
from billing.services import BillingError, stripe_event_apply, stripe_webhook_verify

logger = logging.getLogger(__name__)

# Pause after the 1st, 2nd, … failed attempt; the last one repeats until STRIPE_EVENT_RETRY_HOURS are up.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=6),
)
# Due events a delivery also processes on its way (the beat sweep does the rest): a few, so a delivery
# during an outage of Stripe (inline, in the request) is not held up for long.
DUE_PER_DELIVERY = 5


def retry_delay(failed_attempts: int) -> timedelta:
    return RETRY_DELAYS[min(max(failed_attempts, 1), len(RETRY_DELAYS)) - 1]


def retry_window() -> timedelta:
    return timedelta(hours=settings.STRIPE_EVENT_RETRY_HOURS)


@transaction.atomic
def stripe_event_receive(*, body: bytes, signature: str | None) -> StripeEvent:
    """Verify a delivery and store its event (once: a repeat returns the stored row). Raises BillingError for
    a delivery that is not a correctly signed Stripe event; nothing is stored then."""
    event = stripe_webhook_verify(body=body, signature=signature)
    stored, created = StripeEvent.objects.get_or_create(
        event_id=event["id"],
        defaults={
            "event_type": event["type"],
            "payload": body.decode("utf-8"),
            "next_attempt_at": timezone.now(),
        },
    )
    if not created:
        logger.info("Stripe event %s was delivered again", stored.event_id)
    return stored


def _permanent_failure(exc: Exception) -> str | None:
    """Why this error will not pass by trying again, or None when it may."""
    if isinstance(exc, stripe.InvalidRequestError):
        if exc.http_status == 404:
            return (
                f"Stripe has no such object (404), so the event cannot be applied: {exc.user_message or exc}"
            )
        return f"Stripe refused the request ({exc.http_status}): {exc.user_message or exc}"
    if isinstance(exc, json.JSONDecodeError):
        return "The stored payload is not JSON."
    return None


def _describe(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:2000]


def stripe_event_process(*, event_pk: int, now: datetime | None = None) -> str | None:
    """One attempt at one stored event; returns its status afterwards, or None when another worker is
    processing it right now (its row is locked) or it no longer exists.

    Database failures that break the connection itself propagate: the row is then unchanged, still due.
    """
    with transaction.atomic():
        row = StripeEvent.objects.select_for_update(skip_locked=True).filter(pk=event_pk).first()
        if row is None:
            return None
        if row.status != StripeEventStatus.PENDING:
            return str(row.status)
        now = now or timezone.now()
        row.attempts += 1
        try:
            # A savepoint: a failed effect is rolled back, and the attempt is still recorded below.
            with transaction.atomic():
                stripe_event_apply(event=json.loads(row.payload))
        except Exception as exc:  # whatever it is, the event stays in the inbox; see _permanent_failure
            reason = _permanent_failure(exc)
            if reason is None and now - row.received_at >= retry_window():
                hours = settings.STRIPE_EVENT_RETRY_HOURS
                reason = (
                    f"Gave up after {row.attempts} attempts over {hours} hours. Last error: {_describe(exc)}"
                )
            if reason is not None:
                row.status = StripeEventStatus.FAILED
                row.next_attempt_at = None
                row.last_error = reason[:2000]
                logger.error(
                    "Stripe event %s (%s) failed: %s", row.event_id, row.event_type, type(exc).__name__
                )
            else:
                row.next_attempt_at = now + retry_delay(row.attempts)
                row.last_error = _describe(exc)
                logger.warning(
                    "Stripe event %s (%s), attempt %d: %s; next attempt at %s",
                    row.event_id,
                    row.event_type,
                    row.attempts,
                    type(exc).__name__,
                    row.next_attempt_at.isoformat(),
                )
        else:
            row.status = StripeEventStatus.PROCESSED
            row.processed_at = now
            row.next_attempt_at = None
            row.last_error = ""
        row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "processed_at"])
        return str(row.status)


def stripe_events_process_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Make the attempts that are due, oldest first; returns how many events were tried."""
    due = list(
        StripeEvent.objects.filter(
            status=StripeEventStatus.PENDING, next_attempt_at__lte=now or timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        stripe_event_process(event_pk=pk, now=now)
    return len(due)


@transaction.atomic
def stripe_event_retry(*, event_pk: int, actor: User) -> StripeEvent:
    """An operator has a failed event processed again, at once (in the background). If that attempt fails
    too, the event is retried as any other while its retry time lasts, and failed again, with the new
    error, once it is over (usually at once: events fail for good only near its end, or for a 404)."""
    from billing.tasks import stripe_event_handle  # the task module imports this one

    row = StripeEvent.objects.select_for_update().filter(pk=event_pk).first()
    if row is None or row.status != StripeEventStatus.FAILED:
        raise BillingError(_("Only a failed event can be processed again."))
    row.status = StripeEventStatus.PENDING
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "next_attempt_at"])
    logger.info("Stripe event %s is processed again at an operator's request", row.event_id)
    transaction.on_commit(lambda: stripe_event_handle.delay(row.pk))
    return row
