"""Stripe and billing: keys, webhook secret, price ids, trial and grace periods.

Nothing here is required in development: without STRIPE_SECRET_KEY the billing page explains that card
payments are not configured on this server, and without STRIPE_WEBHOOK_SECRET the webhook refuses every
delivery (it cannot verify one).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from ivplatform.env import env_int, env_str

STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "").strip()
if STRIPE_SECRET_KEY and not STRIPE_SECRET_KEY.startswith(("sk_", "rk_")):
    raise ImproperlyConfigured("STRIPE_SECRET_KEY must be a Stripe secret key (sk_… or rk_…).")

STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "").strip()
if STRIPE_WEBHOOK_SECRET and not STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…).")

# Stripe's own default: a signed delivery older than five minutes is refused (replay protection).
STRIPE_WEBHOOK_TOLERANCE = 300

# Where the Stripe API is: Stripe's own unless set (tests point a worker process at a fake Stripe on
# loopback; stripe-mock or a proxy would be set the same way).
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "").strip().rstrip("/")
if STRIPE_API_BASE and not STRIPE_API_BASE.startswith(("https://", "http://")):
    raise ImproperlyConfigured("STRIPE_API_BASE must be an http(s) URL, e.g. https://api.stripe.com.")

# A received event that cannot be applied (Stripe unreachable, a database restart, …) is retried with
# growing pauses for this long after it arrived, then marked failed for an operator (billing.inbox).
# Stripe itself retries its own deliveries for three days: so do we.
STRIPE_EVENT_RETRY_HOURS = env_int("STRIPE_EVENT_RETRY_HOURS", 72)
if STRIPE_EVENT_RETRY_HOURS < 1:
    raise ImproperlyConfigured("STRIPE_EVENT_RETRY_HOURS must be at least 1.")


def parse_price_ids(raw: str) -> dict[str, str]:
    """``"small:month=price_1,small:year=price_2"`` → ``{"small:month": "price_1", ...}``.

    The key is a plan's code and the billing interval (``month`` or ``year``); prices are made in Stripe's
    dashboard, so their ids are configuration, never code.
    """
    prices: dict[str, str] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key, sep, price_id = item.partition("=")
        code, colon, interval = key.strip().partition(":")
        if not sep or not colon or interval not in {"month", "year"} or not code:
            raise ImproperlyConfigured(
                f"STRIPE_PRICE_IDS: {item!r} must look like 'small:month=price_…' (interval month or year)."
            )
        if not price_id.strip().startswith("price_"):
            raise ImproperlyConfigured(f"STRIPE_PRICE_IDS: {price_id.strip()!r} is not a Stripe price id.")
        prices[f"{code}:{interval}"] = price_id.strip()
    return prices


STRIPE_PRICE_IDS = parse_price_ids(env_str("STRIPE_PRICE_IDS", ""))

BILLING_TRIAL_DAYS = env_int("BILLING_TRIAL_DAYS", 30)
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 14)
if BILLING_TRIAL_DAYS < 0 or BILLING_GRACE_DAYS < 0:
    raise ImproperlyConfigured("BILLING_TRIAL_DAYS and BILLING_GRACE_DAYS must not be negative.")
