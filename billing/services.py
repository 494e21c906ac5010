"""Writes of billing: accounts, Stripe Checkout and portal, webhook events, tenant status changes.

Calls to Stripe are never made while a web request holds a database transaction open longer than it must;
the exception is the subscription sync, which reads Stripe under the account's row lock on purpose: two
events about one subscription are then applied one after the other, each with Stripe's latest state.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from billing.extensions import card_gift_paid
from billing.gateway import (
    StripeNotConfigured,
    as_dict,
    idempotency_key,
    invoice_subscription_id,
    object_id,
    stripe_client,
    timestamp,
)
from billing.lifecycle import LIVE_SUBSCRIPTION, MANAGED_STATUSES, Verdict
from billing.models import BillingAccount, BillingInterval, Invoice, TenantStatusChange
from billing.notifications import status_change_recipients, status_change_send
from billing.selectors import (
    plan_for_population,
    plan_for_price_id,
    plan_price_id,
    trial_end_for,
    verdict_for,
)
from core.errors import DomainError
from tenants.models import READY_STATUSES, Municipality, TenantStatus

logger = logging.getLogger(__name__)

# Stripe asks for a trial end at least 48 hours ahead; a trial closer to its end is charged at once.
MIN_STRIPE_TRIAL = timedelta(hours=48)
# An invoice only moves forward: a late "payment failed" never reopens an invoice already paid.
INVOICE_STATUS_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}


class BillingError(DomainError):
    """A billing action could not be done; the message is fit to show to the tenant's admin."""


def _client() -> stripe.StripeClient:
    try:
        return stripe_client()
    except StripeNotConfigured as exc:
        raise BillingError(_("Card payments are not configured on this server.")) from exc


# --- Accounts and statuses ---------------------------------------------------------------------------


@transaction.atomic
def billing_account_ensure(*, tenant: Municipality) -> BillingAccount:
    """The tenant's billing account, created on first need with the trial counted from the tenant's creation."""
    account = BillingAccount.objects.filter(tenant=tenant).first()
    if account is not None:
        return account
    account = BillingAccount(tenant=tenant, trial_ends_at=trial_end_for(tenant), exempt=tenant.is_association)
    account.full_clean()
    account, _created = BillingAccount.objects.get_or_create(
        tenant=tenant, defaults={"trial_ends_at": account.trial_ends_at, "exempt": account.exempt}
    )
    return account


@transaction.atomic
def tenant_status_apply(*, tenant: Municipality, verdict: Verdict) -> bool:
    """Move the tenant to the verdict's status; log it and e-mail its admins after commit. True if changed."""
    tenant = Municipality.objects.select_for_update().get(pk=tenant.pk)
    if tenant.status not in MANAGED_STATUSES or tenant.status == verdict.status:
        return False
    old = TenantStatus(tenant.status)
    tenant.status = verdict.status
    tenant.full_clean()
    # django-tenants lets a tenant row be saved only from the public schema or its own; this may run from
    # any (the daily task, a request on the tenant's host).
    with schema_context(get_public_schema_name()):
        tenant.save(update_fields=["status"])
    reason = str(verdict.reason)
    change = TenantStatusChange(tenant=tenant, old_status=old, new_status=verdict.status, reason=reason)
    change.full_clean()
    change.save()
    recipients = status_change_recipients(tenant)
    transaction.on_commit(
        lambda: status_change_send(
            tenant=tenant, old=old, new=verdict.status, reason=reason, recipients=recipients
        )
    )
    logger.info("Tenant %s: %s → %s (%s)", tenant.schema_name, old, verdict.status, reason)
    return True


def billing_status_refresh(*, account: BillingAccount, now: datetime | None = None) -> bool:
    return tenant_status_apply(tenant=account.tenant, verdict=verdict_for(account, now=now))


def billing_statuses_refresh(*, now: datetime | None = None) -> int:
    """Daily: recompute every ready tenant's status (grace periods and trials end with time). Returns changes."""
    changed = 0
    tenants = Municipality.objects.filter(status__in=READY_STATUSES).exclude(schema_name="public")
    for tenant in tenants.order_by("pk"):
        account = billing_account_ensure(tenant=tenant)
        changed += billing_status_refresh(account=account, now=now)
    return changed


@transaction.atomic
def billing_population_set(*, account: BillingAccount, population: int) -> BillingAccount:
    account.population = population
    account.full_clean()
    account.save(update_fields=["population", "updated"])
    return account


# --- Checkout and the customer portal ------------------------------------------------------------------


def _customer_ensure(client: stripe.StripeClient, account: BillingAccount, actor: User) -> str:
    if account.stripe_customer_id:
        return account.stripe_customer_id
    tenant = account.tenant
    params: dict[str, Any] = {
        "name": tenant.name,
        "email": tenant.contact_email or actor.email,
        "preferred_locales": ["sv"],
        "metadata": {"tenant": tenant.schema_name},
    }
    customer = client.v1.customers.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": idempotency_key("customer", account.pk, params)},
    )
    with transaction.atomic():
        locked = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if not locked.stripe_customer_id:
            locked.stripe_customer_id = customer.id
            locked.save(update_fields=["stripe_customer_id", "updated"])
        account.stripe_customer_id = locked.stripe_customer_id
    return account.stripe_customer_id


def billing_checkout_start(
    *,
    tenant: Municipality,
    actor: User,
    population: int,
    interval: str,
    request_key: str,
    success_url: str,
    cancel_url: str,
    language: str = "sv",
) -> str:
    """Start Stripe Checkout for a subscription; returns the URL to send the admin to.

    ``request_key`` comes from the form, so a double submit reuses the same Checkout session.
    """
    if interval not in BillingInterval.values:
        raise BillingError(_("Choose monthly or yearly payment."))
    account = billing_account_ensure(tenant=tenant)
    if account.exempt:
        raise BillingError(_("This network is exempt from payment."))
    if account.subscription_status in LIVE_SUBSCRIPTION - {"incomplete"}:
        raise BillingError(_("There is already a subscription: change it in the customer portal."))
    plan = plan_for_population(population)
    if plan is None:
        raise BillingError(_("No plan fits that population."))
    price_id = plan_price_id(plan, interval)
    if not price_id:
        raise BillingError(
            _("This plan cannot be paid by card yet: please contact the platform's operators.")
        )
    client = _client()
    billing_population_set(account=account, population=population)
    try:
        customer_id = _customer_ensure(client, account, actor)
        params: dict[str, Any] = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": tenant.schema_name,
            "line_items": [{"price": price_id, "quantity": 1}],
            "metadata": {"tenant": tenant.schema_name, "kind": "subscription"},
            "subscription_data": {"metadata": {"tenant": tenant.schema_name}},
            "success_url": success_url,
            "cancel_url": cancel_url,
            "locale": "sv" if language.startswith("sv") else "en",
        }
        if account.trial_ends_at - timezone.now() >= MIN_STRIPE_TRIAL:
            # The free trial is kept: the card is charged when it ends, not today.
            params["subscription_data"]["trial_end"] = int(account.trial_ends_at.timestamp())
        session = client.v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key("checkout", account.pk, price_id, request_key)},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a checkout for %s: %s", tenant.schema_name, exc)
        raise BillingError(_("Stripe could not start the payment. Please try again in a moment.")) from exc
    if not session.url:
        raise BillingError(_("Stripe could not start the payment. Please try again in a moment."))
    return session.url


def billing_portal_start(*, tenant: Municipality, return_url: str, request_key: str) -> str:
    """A Stripe customer portal session, where the admin changes card, plan or cancels."""
    account = billing_account_ensure(tenant=tenant)
    if not account.stripe_customer_id:
        raise BillingError(_("There is no payment account yet: start a subscription first."))
    client = _client()
    params = {"customer": account.stripe_customer_id, "return_url": return_url}
    try:
        session = client.v1.billing_portal.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": idempotency_key("portal", account.pk, params, request_key)},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a portal session for %s: %s", tenant.schema_name, exc)
        raise BillingError(
            _("Stripe could not open the customer portal. Please try again in a moment.")
        ) from exc
    return str(session.url)


def billing_checkout_confirm(*, tenant: Municipality, session_id: str) -> bool:
    """After Checkout returns: read the session and mirror its subscription at once (the webhook may lag).

    True when the session belongs to this tenant and is complete.
    """
    account = billing_account_ensure(tenant=tenant)
    client = _client()
    try:
        session = as_dict(client.v1.checkout.sessions.retrieve(session_id))
    except stripe.StripeError as exc:
        raise BillingError(_("That payment could not be found.")) from exc
    if session.get("client_reference_id") != tenant.schema_name or session.get("mode") != "subscription":
        raise BillingError(_("That payment could not be found."))
    if session.get("status") != "complete" or not session.get("subscription"):
        return False
    _customer_remember(account, object_id(session.get("customer")))
    billing_subscription_sync(account_id=account.pk, subscription_id=object_id(session["subscription"]))
    return True


# --- Mirroring Stripe ----------------------------------------------------------------------------------


def _customer_remember(account: BillingAccount, customer_id: str) -> None:
    if customer_id and not account.stripe_customer_id:
        BillingAccount.objects.filter(pk=account.pk, stripe_customer_id="").update(
            stripe_customer_id=customer_id
        )
        account.stripe_customer_id = customer_id


def _subscription_apply(account: BillingAccount, sub: dict[str, Any]) -> None:
    started = timestamp(sub.get("created"))
    if account.stripe_subscription_id and account.stripe_subscription_id != sub["id"]:
        current_live = account.subscription_status in LIVE_SUBSCRIPTION
        new_live = sub.get("status") in LIVE_SUBSCRIPTION
        older = bool(
            account.subscription_created_at and started and started < account.subscription_created_at
        )
        if (current_live and not new_live) or (current_live == new_live and older):
            return  # an ended or older subscription never overwrites the one in force
    status = str(sub.get("status") or "")
    items = (sub.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    price = item.get("price") or {}
    plan, interval = plan_for_price_id(str(price.get("id") or ""))
    period_end = timestamp(item.get("current_period_end") or sub.get("current_period_end"))
    latest_invoice = sub.get("latest_invoice")

    account.stripe_subscription_id = sub["id"]
    account.subscription_created_at = started
    account.subscription_status = status
    account.stripe_customer_id = account.stripe_customer_id or object_id(sub.get("customer"))
    account.plan = plan
    account.price_interval = interval or str((price.get("recurring") or {}).get("interval") or "")
    unit_amount = price.get("unit_amount")
    account.price_amount_ore = int(unit_amount) * int(item.get("quantity") or 1) if unit_amount else None
    account.cancel_at_period_end = bool(sub.get("cancel_at_period_end"))
    ended = status in {"canceled", "incomplete_expired"}
    if ended or account.cancel_at_period_end:
        account.next_payment_at = None
    elif status == "trialing":
        account.next_payment_at = timestamp(sub.get("trial_end"))
    else:
        account.next_payment_at = period_end
    if status in {"past_due", "unpaid", "incomplete"}:
        invoice_created = (
            timestamp(latest_invoice.get("created")) if isinstance(latest_invoice, dict) else None
        )
        account.payment_due_since = invoice_created or account.payment_due_since or timezone.now()
    else:
        account.payment_due_since = None
    account.subscription_ended_at = timestamp(sub.get("ended_at")) if ended else None
    account.synced_at = timezone.now()
    # The tenant and plan are rows just read from the database: checking they exist would only cost queries.
    account.full_clean(exclude=["tenant", "plan"], validate_unique=False)
    account.save()


@transaction.atomic
def billing_subscription_sync(*, account_id: int, subscription_id: str) -> BillingAccount:
    """Re-read a subscription from Stripe under the account's lock and mirror it; then recompute the status.

    Re-reading instead of trusting the event's copy makes the order of deliveries irrelevant.
    """
    account = BillingAccount.objects.select_for_update().select_related("tenant").get(pk=account_id)
    client = _client()
    subscription = as_dict(
        client.v1.subscriptions.retrieve(subscription_id, params={"expand": ["latest_invoice"]})
    )
    _subscription_apply(account, subscription)
    billing_status_refresh(account=account)
    return account


# What reconciliation compares before and after re-reading Stripe (synced_at changes on every read).
_RECONCILED_FIELDS = (
    "stripe_subscription_id",
    "subscription_status",
    "plan_id",
    "price_interval",
    "price_amount_ore",
    "next_payment_at",
    "cancel_at_period_end",
    "payment_due_since",
    "subscription_ended_at",
)


def _subscription_at_stripe(client: stripe.StripeClient, account: BillingAccount) -> str:
    """The id of the subscription Stripe holds for the account's customer: a live one before an ended one,
    the newest first. The mirrored id when the customer has none listed (or there is no customer)."""
    if account.stripe_customer_id:
        listing = as_dict(
            client.v1.subscriptions.list(
                params={"customer": account.stripe_customer_id, "status": "all", "limit": 20}
            )
        )
        subscriptions = listing.get("data") or []
        if subscriptions:
            live = [sub for sub in subscriptions if sub.get("status") in LIVE_SUBSCRIPTION]
            newest = max(live or subscriptions, key=lambda sub: (sub.get("created") or 0, sub["id"]))
            return str(newest["id"])
    return account.stripe_subscription_id


def _reconciled_state(account_id: int) -> dict[str, Any]:
    account = BillingAccount.objects.select_related("tenant").get(pk=account_id)
    state = {field: getattr(account, field) for field in _RECONCILED_FIELDS}
    state["tenant status"] = account.tenant.status
    return state


def billing_account_reconcile(*, account_id: int) -> dict[str, tuple[Any, Any]]:
    """Ask Stripe for the account's subscription and mirror it, as a webhook would have; returns what
    changed, field by field (old, new), and logs it. Nothing changes when the mirror was right."""
    account = BillingAccount.objects.select_related("tenant").get(pk=account_id)
    subscription_id = _subscription_at_stripe(_client(), account)
    if not subscription_id:
        return {}
    before = _reconciled_state(account_id)
    billing_subscription_sync(account_id=account_id, subscription_id=subscription_id)
    after = _reconciled_state(account_id)
    changes = {field: (before[field], after[field]) for field in before if before[field] != after[field]}
    if changes:
        logger.info(
            "Reconciled %s with Stripe: %s",
            account.tenant.schema_name,
            "; ".join(f"{field} {old!s} → {new!s}" for field, (old, new) in changes.items()),
        )
    return changes


def billing_subscriptions_reconcile() -> int:
    """Nightly: every ready tenant with a Stripe customer or subscription is compared with Stripe and
    corrected, whatever events were lost or failed. Returns how many accounts were corrected."""
    accounts = (
        BillingAccount.objects.filter(tenant__status__in=READY_STATUSES)
        .exclude(stripe_customer_id="", stripe_subscription_id="")
        .order_by("pk")
        .values_list("pk", "tenant__schema_name")
    )
    checked = corrected = unreadable = 0
    for account_id, slug in accounts:
        checked += 1
        try:
            corrected += bool(billing_account_reconcile(account_id=account_id))
        except (stripe.StripeError, BillingError) as exc:
            unreadable += 1
            logger.warning("Could not reconcile %s with Stripe: %s: %s", slug, type(exc).__name__, exc)
    logger.info(
        "Reconciliation with Stripe: %d accounts checked, %d corrected, %d could not be read",
        checked,
        corrected,
        unreadable,
    )
    return corrected


def _invoice_upsert(account: BillingAccount, data: dict[str, Any]) -> Invoice:
    invoice = Invoice.objects.select_for_update().filter(stripe_invoice_id=data["id"]).first()
    status = str(data.get("status") or "open")
    if invoice is not None and INVOICE_STATUS_RANK.get(status, 0) < INVOICE_STATUS_RANK.get(
        invoice.status, 0
    ):
        return invoice  # a late, older report about this invoice
    invoice = invoice or Invoice(account=account, stripe_invoice_id=data["id"])
    invoice.number = str(data.get("number") or "")
    invoice.status = status
    invoice.amount_due_ore = int(data.get("amount_due") or 0)
    invoice.amount_paid_ore = int(data.get("amount_paid") or 0)
    invoice.currency = str(data.get("currency") or "sek")
    invoice.issued_at = timestamp(data.get("created")) or timezone.now()
    invoice.hosted_invoice_url = str(data.get("hosted_invoice_url") or "")
    invoice.invoice_pdf = str(data.get("invoice_pdf") or "")
    # Looked up by its unique id under a row lock just above; the account is a row just read.
    invoice.full_clean(exclude=["account"], validate_unique=False)
    invoice.save()
    return invoice


def _account_for(
    *, tenant_slug: str = "", customer_id: str = "", subscription_id: str = ""
) -> BillingAccount | None:
    if tenant_slug:
        tenant = Municipality.objects.filter(schema_name=tenant_slug).first()
        if tenant is not None:
            return billing_account_ensure(tenant=tenant)
    if customer_id:
        account = BillingAccount.objects.filter(stripe_customer_id=customer_id).first()
        if account is not None:
            return account
    if subscription_id:
        return BillingAccount.objects.filter(stripe_subscription_id=subscription_id).first()
    return None


def _metadata(data: dict[str, Any]) -> dict[str, Any]:
    return data.get("metadata") or {}


def _handle_checkout_completed(session: dict[str, Any]) -> None:
    metadata = _metadata(session)
    if session.get("mode") == "payment" and metadata.get("kind") == "donation":
        if session.get("payment_status") == "paid":
            _donation_record(
                tenant_slug=str(metadata.get("tenant") or ""),
                payment_intent_id=object_id(session.get("payment_intent")),
                checkout_session_id=str(session["id"]),
                amount_ore=int(session.get("amount_total") or 0),
                currency=str(session.get("currency") or "sek"),
                campaign_id=str(metadata.get("campaign") or ""),
                paid_at=timestamp(session.get("created")),
            )
        return
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return
    account = _account_for(
        tenant_slug=str(session.get("client_reference_id") or metadata.get("tenant") or ""),
        customer_id=object_id(session.get("customer")),
    )
    if account is None:
        logger.warning("Checkout session %s matches no tenant", session.get("id"))
        return
    _customer_remember(account, object_id(session.get("customer")))
    billing_subscription_sync(account_id=account.pk, subscription_id=object_id(session["subscription"]))


def _handle_subscription_event(sub: dict[str, Any]) -> None:
    account = _account_for(
        tenant_slug=str(_metadata(sub).get("tenant") or ""),
        customer_id=object_id(sub.get("customer")),
        subscription_id=str(sub["id"]),
    )
    if account is None:
        logger.warning("Subscription %s matches no tenant", sub.get("id"))
        return
    billing_subscription_sync(account_id=account.pk, subscription_id=str(sub["id"]))


def _handle_invoice_event(invoice: dict[str, Any]) -> None:
    subscription_id = invoice_subscription_id(invoice)
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    account = _account_for(
        tenant_slug=str(_metadata(details).get("tenant") or ""),
        customer_id=object_id(invoice.get("customer")),
        subscription_id=subscription_id,
    )
    if account is None:
        logger.warning("Invoice %s matches no tenant", invoice.get("id"))
        return
    # The account's lock first: two events about one invoice (paid, payment failed) arriving together
    # are applied one after the other, and the second finds the invoice the first made.
    BillingAccount.objects.select_for_update().filter(pk=account.pk).first()
    _invoice_upsert(account, invoice)
    if subscription_id:
        billing_subscription_sync(account_id=account.pk, subscription_id=subscription_id)


def _handle_payment_intent_succeeded(intent: dict[str, Any]) -> None:
    metadata = _metadata(intent)
    if metadata.get("kind") != "donation":
        return  # subscription payments are handled through their invoices
    _donation_record(
        tenant_slug=str(metadata.get("tenant") or ""),
        payment_intent_id=str(intent["id"]),
        checkout_session_id="",
        amount_ore=int(intent.get("amount_received") or intent.get("amount") or 0),
        currency=str(intent.get("currency") or "sek"),
        campaign_id=str(metadata.get("campaign") or ""),
        paid_at=timestamp(intent.get("created")),
    )


def _donation_record(
    *,
    tenant_slug: str,
    payment_intent_id: str,
    checkout_session_id: str,
    amount_ore: int,
    currency: str,
    campaign_id: str,
    paid_at: datetime | None,
) -> None:
    tenant = Municipality.objects.filter(schema_name=tenant_slug).exclude(schema_name="public").first()
    if tenant is None or not payment_intent_id:
        logger.warning("Donation %s matches no tenant", payment_intent_id or checkout_session_id)
        return
    # The tenant's own schema, inside this same transaction: the gift and the event id commit together.
    with tenant:
        for record in card_gift_paid:
            record(
                payment_intent_id=payment_intent_id,
                checkout_session_id=checkout_session_id,
                amount_ore=amount_ore,
                currency=currency,
                campaign_id=int(campaign_id) if campaign_id.isdigit() else None,
                paid_at=paid_at or timezone.now(),
            )


HANDLERS = {
    "checkout.session.completed": _handle_checkout_completed,
    "customer.subscription.created": _handle_subscription_event,
    "customer.subscription.updated": _handle_subscription_event,
    "customer.subscription.deleted": _handle_subscription_event,
    "invoice.paid": _handle_invoice_event,
    "invoice.payment_failed": _handle_invoice_event,
    "payment_intent.succeeded": _handle_payment_intent_succeeded,
}


def stripe_webhook_verify(*, body: bytes, signature: str | None) -> dict[str, Any]:
    """Check Stripe's signature on the raw body (within Stripe's 5-minute tolerance) and parse the event.

    Raises BillingError for a missing, forged or stale signature, a body changed after signing, or an
    event without id, type and object.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BillingError("The webhook secret is not configured.")
    try:
        text = body.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, settings.STRIPE_WEBHOOK_TOLERANCE)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BillingError(f"Invalid webhook: {exc}") from exc
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance((event.get("data") or {}).get("object"), dict)
    ):
        raise BillingError("Invalid webhook: not a Stripe event.")
    return event


@transaction.atomic
def stripe_event_apply(*, event: dict[str, Any]) -> None:
    """Apply one verified Stripe event's effect. Raises when it cannot be applied now (Stripe unreachable,
    a database error); the transaction then leaves nothing behind.

    Applying the same event twice has the effect of once: every handler re-reads Stripe's current state
    and upserts. Whether an event has been applied is the inbox's record (``billing.inbox``), written in
    the caller's transaction together with this effect.
    """
    handler = HANDLERS.get(event["type"])
    if handler is not None:
        handler(event["data"]["object"])
