"""A fake Stripe at its HTTP boundary, and webhook signing the way Stripe does it.

``FakeStripe`` is a ``stripe.HTTPClient``: ``StripeClient(..., http_client=FakeStripe())`` sends every
request here instead of the network. It records each request (method, path, form parameters, headers),
answers with canned JSON shaped like Stripe's current API, keeps the objects it made, and honours
idempotency keys as Stripe does (a repeated key returns the first response).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("Idempotency-Key")


@dataclass
class FakeStripe(stripe.HTTPClient):
    name = "fake-stripe"

    requests: list[Recorded] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Where Checkout "lives": by default a fake Stripe host; a browser test points it at the live server.
    checkout_url: Callable[[dict[str, Any]], str] | None = None
    # When set, a subscription Checkout is paid the moment it is made (the customer's part, simulated).
    complete_checkouts: bool = False
    fail_next: int = 0
    # Amounts in öre of the price ids the tests use, as the prices in Stripe's dashboard would have them.
    prices: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        self._replies: dict[str, tuple[str, int, dict[str, str]]] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    # --- stripe.HTTPClient ---------------------------------------------------------------------------

    def request(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> tuple[str, int, dict[str, str]]:
        with self._lock:
            parts = urlsplit(url)
            params = dict(parse_qsl(post_data or "", keep_blank_values=True))
            params.update(parse_qsl(parts.query, keep_blank_values=True))
            recorded = Recorded(method.upper(), parts.path, params, dict(headers or {}))
            self.requests.append(recorded)
            key = recorded.idempotency_key
            if recorded.method == "POST" and key and key in self._replies:
                return self._replies[key]
            if self.fail_next:
                self.fail_next -= 1
                body, status = {"error": {"type": "api_error", "message": "Fake outage"}}, 500
            else:
                status, body = self._route(recorded)
            # Stripe-Should-Retry: false keeps stripe-python from sleeping between retries of a simulated outage.
            reply = (
                json.dumps(body),
                status,
                {"Request-Id": f"req_fake{next(self._counter)}", "Stripe-Should-Retry": "false"},
            )
            if recorded.method == "POST" and key and status < 500:
                self._replies[key] = reply
            return reply

    def request_stream(
        self, method: str, url: str, headers: Any, post_data: Any = None, *, _usage: Any = None
    ) -> Any:
        raise NotImplementedError("The fake does not stream.")

    def close(self) -> None:
        pass

    # --- helpers for tests ---------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._counter):05d}"

    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    def add_subscription(  # noqa: PLR0913 - keyword-only, the fields of Stripe's subscription
        self,
        *,
        tenant: str,
        customer: str,
        price_id: str,
        amount_ore: int,
        interval: str = "month",
        status: str = "active",
        created: int | None = None,
        period_end: int | None = None,
        latest_invoice: str | None = None,
        trial_end: int | None = None,
        ended_at: int | None = None,
        sub_id: str | None = None,
    ) -> dict[str, Any]:
        now = int(time.time())
        sub: dict[str, Any] = {
            "id": sub_id or self.new_id("sub"),
            "object": "subscription",
            "customer": customer,
            "status": status,
            "created": created or now,
            "cancel_at_period_end": False,
            "ended_at": ended_at,
            "trial_end": trial_end,
            "metadata": {"tenant": tenant},
            "latest_invoice": latest_invoice,
            "items": {
                "object": "list",
                "data": [
                    {
                        "id": self.new_id("si"),
                        "object": "subscription_item",
                        "quantity": 1,
                        "current_period_start": now,
                        "current_period_end": period_end or now + 30 * 86400,
                        "price": {
                            "id": price_id,
                            "object": "price",
                            "currency": "sek",
                            "unit_amount": amount_ore,
                            "recurring": {"interval": interval},
                        },
                    }
                ],
            },
        }
        self.objects[sub["id"]] = sub
        return sub

    def add_invoice(
        self,
        *,
        tenant: str,
        customer: str,
        subscription: str,
        amount_ore: int,
        status: str = "paid",
        created: int | None = None,
        inv_id: str | None = None,
    ) -> dict[str, Any]:
        inv_id = inv_id or self.new_id("in")
        invoice = {
            "id": inv_id,
            "object": "invoice",
            "customer": customer,
            "status": status,
            "number": f"IVP-{inv_id[-5:]}",
            "amount_due": amount_ore,
            "amount_paid": amount_ore if status == "paid" else 0,
            "currency": "sek",
            "created": created or int(time.time()),
            "hosted_invoice_url": f"https://invoice.stripe.test/i/{inv_id}",
            "invoice_pdf": f"https://invoice.stripe.test/i/{inv_id}/pdf",
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": subscription, "metadata": {"tenant": tenant}},
            },
        }
        self.objects[inv_id] = invoice
        return invoice

    def complete_checkout(self, session_id: str) -> dict[str, Any]:
        """The customer pays on Stripe's page: a subscription exists and the session is complete.

        As at Stripe, a session asked to keep a trial makes a ``trialing`` subscription that is charged when
        the trial ends; otherwise the first invoice is paid at once.
        """
        session = self.objects[session_id]
        tenant = session["client_reference_id"]
        customer = session["customer"] or self.new_id("cus")
        amount = self.prices.get(session["_price"], 99500)
        trial_end = session["_trial_end"]
        sub = self.add_subscription(
            tenant=tenant,
            customer=customer,
            price_id=session["_price"],
            amount_ore=amount,
            interval=session["_interval"],
            status="trialing" if trial_end else "active",
            trial_end=trial_end,
        )
        invoice = self.add_invoice(
            tenant=tenant, customer=customer, subscription=sub["id"], amount_ore=0 if trial_end else amount
        )
        sub["latest_invoice"] = invoice["id"]
        session.update(status="complete", payment_status="paid", subscription=sub["id"], customer=customer)
        return session

    def public(self, obj_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.objects[obj_id].items() if not k.startswith("_")}

    # --- routing -------------------------------------------------------------------------------------

    def _route(self, r: Recorded) -> tuple[int, dict[str, Any]]:
        segments = r.path.strip("/").split("/")
        if r.method == "POST" and r.path == "/v1/customers":
            customer: dict[str, Any] = {
                "id": self.new_id("cus"),
                "object": "customer",
                "name": r.params.get("name"),
                "email": r.params.get("email"),
                "metadata": {"tenant": r.params.get("metadata[tenant]")},
            }
            self.objects[customer["id"]] = customer
            return 200, customer
        if r.method == "POST" and r.path == "/v1/checkout/sessions":
            return 200, self._checkout_create(r.params)
        if r.method == "GET" and segments[:3] == ["v1", "checkout", "sessions"] and len(segments) == 4:
            return self._get(segments[3])
        if r.method == "POST" and r.path == "/v1/billing_portal/sessions":
            session_id = self.new_id("bps")
            return 200, {
                "id": session_id,
                "object": "billing_portal.session",
                "customer": r.params.get("customer"),
                "return_url": r.params.get("return_url"),
                "url": f"https://billing.stripe.test/p/session/{session_id}",
            }
        if r.method == "GET" and segments[:2] == ["v1", "subscriptions"] and len(segments) == 3:
            status, sub = self._get(segments[2])
            if status == 200 and any(k.startswith("expand") for k in r.params) and sub.get("latest_invoice"):
                sub = {**sub, "latest_invoice": self.public(sub["latest_invoice"])}
            return status, sub
        return 404, {
            "error": {
                "type": "invalid_request_error",
                "message": f"Unrecognized request URL ({r.method}: {r.path})",
            }
        }

    def _get(self, obj_id: str) -> tuple[int, dict[str, Any]]:
        if obj_id not in self.objects:
            return 404, {"error": {"type": "invalid_request_error", "message": f"No such object: '{obj_id}'"}}
        return 200, self.public(obj_id)

    def _checkout_create(self, p: dict[str, str]) -> dict[str, Any]:
        session_id = self.new_id("cs")
        session: dict[str, Any] = {
            "id": session_id,
            "object": "checkout.session",
            "mode": p.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "customer": p.get("customer"),
            "client_reference_id": p.get("client_reference_id"),
            "metadata": {k[9:-1]: v for k, v in p.items() if k.startswith("metadata[")},
            "subscription": None,
            "payment_intent": None,
            "currency": p.get("line_items[0][price_data][currency]", "sek"),
            "amount_total": int(p.get("line_items[0][price_data][unit_amount]") or 0) or None,
            "success_url": p.get("success_url"),
            "cancel_url": p.get("cancel_url"),
            "created": int(time.time()),
            "_price": p.get("line_items[0][price]"),
            "_interval": "year" if str(p.get("line_items[0][price]", "")).endswith("year") else "month",
            "_trial_end": int(p["subscription_data[trial_end]"])
            if "subscription_data[trial_end]" in p
            else None,
        }
        session["url"] = (
            self.checkout_url(session)
            if self.checkout_url
            else f"https://checkout.stripe.test/c/pay/{session_id}"
        )
        self.objects[session_id] = session
        if self.complete_checkouts and session["mode"] == "subscription":
            self.complete_checkout(session_id)
        return self.public(session_id)


def event(
    event_type: str, obj: dict[str, Any], *, created: int | None = None, event_id: str | None = None
) -> dict[str, Any]:
    """A Stripe event envelope around a snapshot of ``obj``."""
    return {
        "id": event_id
        or f"evt_{hashlib.sha1(json.dumps([event_type, obj, created], sort_keys=True).encode(), usedforsecurity=False).hexdigest()[:24]}",
        "object": "event",
        "api_version": "2025-09-30.clover",
        "created": created or int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": json.loads(json.dumps(obj))},
    }


def sign(payload: str, secret: str, *, timestamp: int | None = None) -> str:
    """The Stripe-Signature header: ``t=<unix>,v1=HMAC-SHA256(secret, "<t>.<payload>")``."""
    t = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={signature}"
