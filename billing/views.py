"""Billing on a tenant's host (its admin only) and the operator's overview on the public host."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.roles import Role
from billing import selectors, services
from billing.forms import PortalForm, SubscribeForm, new_request_key
from billing.gateway import stripe_configured
from billing.lifecycle import LIVE_SUBSCRIPTION
from billing.middleware import allowed_when_suspended
from ivplatform.http import StaffRequest


def _billing_page(
    request: StaffRequest, form: SubscribeForm | None = None, status: int = 200
) -> HttpResponse:
    account = services.billing_account_ensure(tenant=request.tenant)
    # The page shows the status as it is now: a trial or grace period may have run out since the last run.
    services.billing_status_refresh(account=account)
    request.tenant.refresh_from_db(fields=["status"])
    verdict = selectors.verdict_for(account)
    if form is None:
        form = SubscribeForm(initial={"population": account.population, "request_key": new_request_key()})
    plans = list(selectors.plans_offered())
    suggested = selectors.plan_for_population(account.population) if account.population else None
    context = {
        "account": account,
        "verdict": verdict,
        "form": form,
        "portal_form": PortalForm(initial={"request_key": new_request_key()}),
        "plans": [
            {
                "plan": plan,
                "monthly_excl_vat": selectors.price_excluding_vat(plan.monthly_price_sek),
                "yearly_excl_vat": selectors.price_excluding_vat(plan.yearly_price_sek),
                "suggested": suggested is not None and plan.pk == suggested.pk,
            }
            for plan in plans
        ],
        "invoices": selectors.invoices_for_user(actor=request.user, account=account),
        "stripe_configured": stripe_configured(),
        "keeps_trial": account.trial_ends_at - timezone.now() >= services.MIN_STRIPE_TRIAL,
        "has_subscription": account.subscription_status in LIVE_SUBSCRIPTION - {"incomplete"},
    }
    return render(request, "billing/billing.html", context, status=status)


@require_GET
@role_required(Role.ADMIN)
def billing_page(request: StaffRequest) -> HttpResponse:
    return _billing_page(request)


@allowed_when_suspended
@require_POST
@role_required(Role.ADMIN)
def checkout_start(request: StaffRequest) -> HttpResponse:
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _billing_page(request, form, status=400)
    done = request.build_absolute_uri(reverse("billing:checkout-done"))
    try:
        url = services.billing_checkout_start(
            tenant=request.tenant,
            actor=request.user,
            population=form.cleaned_data["population"],
            interval=form.cleaned_data["interval"],
            request_key=form.cleaned_data["request_key"],
            # Stripe fills in the session id; the page then confirms the payment at once.
            success_url=f"{done}?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=request.build_absolute_uri(reverse("billing:page")),
            language=get_language() or "sv",
        )
    except services.BillingError as exc:
        form.add_error(None, str(exc))
        return _billing_page(request, form, status=400)
    return redirect(url)


@allowed_when_suspended
@require_POST
@role_required(Role.ADMIN)
def portal_start(request: StaffRequest) -> HttpResponse:
    form = PortalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form has expired: please try again."))
        return redirect("billing:page")
    try:
        url = services.billing_portal_start(
            tenant=request.tenant,
            return_url=request.build_absolute_uri(reverse("billing:page")),
            request_key=form.cleaned_data["request_key"],
        )
    except services.BillingError as exc:
        messages.error(request, str(exc))
        return redirect("billing:page")
    return redirect(url)


@require_GET
@role_required(Role.ADMIN)
def checkout_done(request: StaffRequest) -> HttpResponse:
    session_id = request.GET.get("session_id", "")
    try:
        complete = bool(session_id) and services.billing_checkout_confirm(
            tenant=request.tenant, session_id=session_id
        )
    except services.BillingError as exc:
        messages.error(request, str(exc))
        return redirect("billing:page")
    if complete:
        messages.success(request, _("Thank you! The subscription has started."))
    else:
        messages.info(
            request, _("Thank you! We will update the status as soon as Stripe confirms the payment.")
        )
    return redirect("billing:page")


@require_GET
def operator_overview(request: HttpRequest) -> HttpResponse:
    """Public host, platform operators (superusers) only: every tenant's billing and the MRR."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not user.is_superuser:
        raise PermissionDenied
    overview = selectors.operator_overview(actor=user)
    return render(request, "billing/operator.html", {"overview": overview})
