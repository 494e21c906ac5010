"""Fixtures for billing and donations tests: Stripe configured against the fake, signed webhook posts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from billing import gateway
from billing.models import BillingAccount, Plan
from billing.tests.fake_stripe import FakeStripe, sign
from ivplatform.celery import app as celery_app
from tenants.models import Municipality

WEBHOOK_SECRET = "whsec_test_secret"
PRICE_IDS = {
    f"{code}:{interval}": f"price_{code}_{interval}"
    for code in ("small", "medium", "large", "xlarge")
    for interval in ("month", "year")
}


# The seeded plans' monthly prices in SEK incl. VAT; a year costs ten months.
MONTHLY_SEK = {"small": 495, "medium": 995, "large": 1995, "xlarge": 3495}
PRICE_AMOUNTS_ORE = {
    f"price_{code}_{interval}": sek * 100 * (10 if interval == "year" else 1)
    for code, sek in MONTHLY_SEK.items()
    for interval in ("month", "year")
}


@pytest.fixture
def stripe_settings(settings: Any) -> Any:
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_IDS = PRICE_IDS
    return settings


@pytest.fixture
def fake_stripe(stripe_settings: Any, monkeypatch: pytest.MonkeyPatch) -> FakeStripe:
    fake = FakeStripe(prices=PRICE_AMOUNTS_ORE)
    monkeypatch.setattr(gateway, "HTTP_CLIENT", fake)
    return fake


@pytest.fixture(autouse=True)
def inline_tasks() -> Iterator[None]:
    """Tasks run inline here even when REDIS_URL is set (CI); the worker test sets up its own worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def post_webhook(
    event: dict[str, Any],
    *,
    secret: str = WEBHOOK_SECRET,
    timestamp: int | None = None,
    body: str | None = None,
) -> Any:
    """POST ``event`` to the public host's webhook, signed like Stripe (or ``body`` sent instead, signed for ``event``)."""
    payload = json.dumps(event)
    header = sign(payload, secret, timestamp=timestamp)
    return Client(HTTP_HOST=settings.BASE_DOMAIN).post(
        "/billing/stripe/webhook/",
        data=body if body is not None else payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )


@pytest.fixture
def varnamo_account(varnamo: Municipality) -> BillingAccount:
    from billing.services import billing_account_ensure

    return billing_account_ensure(tenant=varnamo)


def medium_plan() -> Plan:
    return Plan.objects.get(code="medium")
