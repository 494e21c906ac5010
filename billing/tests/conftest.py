"""Fixtures for billing and donations tests: Stripe configured against the fake, signed webhook posts."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from billing import gateway
from billing.models import BillingAccount, Plan, StripeEvent
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
def varnamo_account(varnamo: Municipality) -> Iterator[BillingAccount]:
    from billing.services import billing_account_ensure

    yield billing_account_ensure(tenant=varnamo)


def medium_plan() -> Plan:
    return Plan.objects.get(code="medium")


def time_passes(hours: float) -> None:
    """Move every stored Stripe event ``hours`` into the past, as if that much time had gone by since it
    arrived: its next attempt comes due, and its retry time runs out. The worker process reads the same."""
    from django.db.models import F

    shift = timedelta(hours=hours)
    StripeEvent.objects.update(
        received_at=F("received_at") - shift, next_attempt_at=F("next_attempt_at") - shift
    )


class StripeOverHttp:
    """The fake Stripe served over real HTTP on loopback, for processes that cannot share this one's
    memory (a Celery worker): set their ``STRIPE_API_BASE`` to ``url``.

    ``gate``, when set, is called with (method, path) before each answer, in the server's thread: a test
    can make a request wait there to catch a worker in the middle of an event.
    """

    def __init__(self, fake: FakeStripe) -> None:
        self.fake = fake
        self.gate: Callable[[str, str], None] | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_DELETE(self) -> None:
                self._answer("DELETE")

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else None
                if outer.gate is not None:
                    outer.gate(method, self.path)
                text, status, headers = outer.fake.request(
                    method, f"http://fake-stripe{self.path}", dict(self.headers), body
                )
                data = text.encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client is gone (a test killed the worker that asked)

            def log_message(self, *args: Any) -> None:
                pass  # the fake's own record of requests is what tests read

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def stripe_env(api_base: str) -> dict[str, str]:
    """The environment a worker process needs to use the fake Stripe at ``api_base`` like this process."""
    return {
        "STRIPE_SECRET_KEY": "sk_test_fake",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_PRICE_IDS": ",".join(f"{key}={price}" for key, price in PRICE_IDS.items()),
        "STRIPE_API_BASE": api_base,
    }
