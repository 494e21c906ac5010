"""Stripe's webhook on the public host: verify, store, answer; the event is processed from the inbox."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import inbox, services, tasks

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs its deliveries instead; the signature is checked on the raw body
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        stored = inbox.stripe_event_receive(
            body=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except services.BillingError as exc:
        logger.warning("Refused a Stripe webhook: %s", exc)
        return JsonResponse({"error": str(exc)}, status=400)
    # The event is committed: whatever happens next, Stripe gets its 200 and the event is not lost. Inline
    # (no broker) the first attempt runs here; its failure is recorded on the event, never a 500.
    try:
        tasks.stripe_event_handle.delay(stored.pk)
    except Exception:  # the broker is down, or the database failed mid-attempt: the retry sweep takes it
        logger.exception("Stripe event %s is stored; its first attempt could not run now", stored.event_id)
    return JsonResponse({"received": stored.event_id})
