"""Stripe's webhook on the public host: verify, queue, answer at once."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import services, tasks

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs its deliveries instead; the signature is checked on the raw body
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = services.stripe_webhook_verify(
            body=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except services.BillingError as exc:
        logger.warning("Refused a Stripe webhook: %s", exc)
        return JsonResponse({"error": str(exc)}, status=400)
    # The raw, verified body goes to the task: its effect and its event id are written together there.
    tasks.stripe_event_handle.delay(request.body.decode("utf-8"))
    return JsonResponse({"received": event["id"]})
