"""The public donate page with Swish QR codes and card gifts, and the admin's page for campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.roles import Role
from billing.forms import new_request_key
from billing.gateway import stripe_configured
from core.errors import error_on_form
from donations import selectors, services
from donations.forms import CampaignActiveForm, CampaignForm, CardDonationForm, SwishSettingsForm
from donations.models import DonationCampaign
from donations.swish import swish_payload, swish_qr_png, swish_qr_svg
from ivplatform.http import StaffRequest, TenantRequest
from ivplatform.middleware import public_page


def _donate_page(
    request: TenantRequest, card_form: CardDonationForm | None = None, status: int = 200
) -> HttpResponse:
    swish = selectors.swish_settings()
    campaigns = list(selectors.campaigns_public())
    if card_form is None:
        card_form = CardDonationForm(
            campaigns=selectors.campaigns_public(), initial={"request_key": new_request_key()}
        )
    context = {
        "swish": swish,
        "general_payload": swish_payload(number=swish.swish_number) if swish else "",
        "campaigns": [
            {
                "campaign": campaign,
                "payload": swish_payload(
                    number=swish.swish_number, amount_sek=campaign.amount_sek, message=campaign.message
                )
                if swish
                else "",
            }
            for campaign in campaigns
        ],
        "card_form": card_form,
        "cards_accepted": stripe_configured() and not request.tenant.is_read_only,
    }
    return render(request, "donations/donate.html", context, status=status)


@public_page
@require_GET
def donate(request: TenantRequest) -> HttpResponse:
    return _donate_page(request)


@require_GET
@cache_control(max_age=300)
def swish_qr(request: TenantRequest, fmt: str, campaign_id: int | None = None) -> HttpResponse:
    """The Swish QR code as SVG or PNG: general (donor picks amount and message) or for one campaign."""
    swish = selectors.swish_settings()
    if swish is None or fmt not in {"svg", "png"}:
        raise Http404
    campaign: DonationCampaign | None = None
    if campaign_id is not None:
        campaign = selectors.get_public_campaign(campaign_id)
    payload = swish_payload(
        number=swish.swish_number,
        amount_sek=campaign.amount_sek if campaign else None,
        message=campaign.message if campaign else "",
    )
    if fmt == "png":
        response = HttpResponse(swish_qr_png(payload), content_type="image/png")
    else:
        title = _("Swish QR code for %(number)s") % {"number": swish.formatted_number}
        response = HttpResponse(swish_qr_svg(payload, title=title), content_type="image/svg+xml")
    name = f"swish-{request.tenant.schema_name}-{campaign.pk if campaign else 'general'}.{fmt}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_POST
def card_donation_start(request: TenantRequest) -> HttpResponse:
    form = CardDonationForm(request.POST, campaigns=selectors.campaigns_public())
    if not form.is_valid():
        return _donate_page(request, form, status=400)
    try:
        url = services.donation_checkout_start(
            tenant=request.tenant,
            campaign=form.cleaned_data["campaign"],
            amount_sek=form.cleaned_data["amount_sek"],
            request_key=form.cleaned_data["request_key"],
            success_url=request.build_absolute_uri(reverse("donations:thanks")),
            cancel_url=request.build_absolute_uri(reverse("donations:donate")),
            language=get_language() or "sv",
        )
    except services.DonationError as exc:
        error_on_form(form, exc)
        return _donate_page(request, form, status=400)
    return redirect(url)


@public_page
@require_GET
def thanks(request: TenantRequest) -> HttpResponse:
    return render(request, "donations/thanks.html")


# --- The admin's page ----------------------------------------------------------------------------------


def _manage_page(
    request: StaffRequest,
    swish_form: SwishSettingsForm | None = None,
    campaign_form: CampaignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    swish = selectors.swish_settings()
    if swish_form is None:
        initial = {"swish_number": swish.formatted_number, "payee_name": swish.payee_name} if swish else {}
        swish_form = SwishSettingsForm(initial=initial)
    context = {
        "swish": swish,
        "swish_form": swish_form,
        "campaign_form": campaign_form or CampaignForm(),
        "campaigns": selectors.campaigns_for_user(actor=request.user),
        "donations": selectors.donations_for_user(actor=request.user),
    }
    return render(request, "donations/manage.html", context, status=status)


@require_GET
@role_required(Role.ADMIN)
def manage(request: StaffRequest) -> HttpResponse:
    return _manage_page(request)


@require_POST
@role_required(Role.ADMIN)
def swish_settings_update(request: StaffRequest) -> HttpResponse:
    form = SwishSettingsForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, swish_form=form, status=400)
    services.swish_settings_save(
        swish_number=form.cleaned_data["swish_number"], payee_name=form.cleaned_data["payee_name"]
    )
    messages.success(request, _("The Swish number has been saved."))
    return redirect("donations:manage")


@require_POST
@role_required(Role.ADMIN)
def campaign_create(request: StaffRequest) -> HttpResponse:
    form = CampaignForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, campaign_form=form, status=400)
    try:
        campaign = services.campaign_create(**form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _manage_page(request, campaign_form=form, status=400)
    messages.success(
        request, _("The campaign “%(title)s” is on the donate page.") % {"title": campaign.title}
    )
    return redirect("donations:manage")


@require_POST
@role_required(Role.ADMIN)
def campaign_active_set(request: StaffRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_actor(actor=request.user, pk=pk)
    form = CampaignActiveForm(request.POST)
    form.is_valid()  # a missing box means "not active", as HTML check boxes do
    services.campaign_set_active(campaign=campaign, active=form.cleaned_data.get("active", False))
    if campaign.is_active:
        messages.success(request, _("“%(title)s” is shown again.") % {"title": campaign.title})
    else:
        messages.success(
            request, _("“%(title)s” is hidden from the donate page.") % {"title": campaign.title}
        )
    return redirect("donations:manage")
