"""The one place that builds a Stripe client, and small readers for Stripe's JSON objects.

Everything talks to Stripe through ``stripe_client()``. Tests put a fake at Stripe's HTTP boundary by
setting ``HTTP_CLIENT`` (a ``stripe.HTTPClient``); production leaves it ``None``, so stripe-python uses its
own HTTP client and nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from stripe import HTTPClient, StripeClient

HTTP_CLIENT: HTTPClient | None = None


class StripeNotConfigured(Exception):
    pass


def stripe_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise StripeNotConfigured
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return StripeClient(
        settings.STRIPE_SECRET_KEY,
        http_client=HTTP_CLIENT,
        max_network_retries=2,
        base_addresses=base,  # type: ignore[arg-type]
    )


def idempotency_key(*parts: object) -> str:
    """A key that is the same for a repeated request (a double click, a retry) and differs otherwise.

    Stripe remembers keys for 24 hours and refuses a key reused with other parameters, so the parameters
    that matter are part of the key.
    """
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"ivp-{digest[:40]}"


def as_dict(obj: Any) -> dict[str, Any]:
    """A Stripe API object (or an already plain dict) as plain nested dicts."""
    if isinstance(obj, dict):
        return obj
    result: dict[str, Any] = obj.to_dict()
    return result


def timestamp(value: Any) -> datetime | None:
    """Stripe's Unix seconds as an aware datetime; None stays None."""
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def object_id(value: Any) -> str:
    """An id from a field that holds either the id or the expanded object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def invoice_subscription_id(invoice: dict[str, Any]) -> str:
    """The subscription an invoice belongs to: newer API versions nest it under ``parent``."""
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return object_id(details.get("subscription") or invoice.get("subscription"))
