"""Sign-up on the public host: the form, the e-mail confirmation, the progress page, the legal texts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.errors import error_on_form
from tenants.forms import SignupForm
from tenants.links import request_link_origin, tenant_link
from tenants.models import ApplicationStatus, OnboardingApplication, ProvisioningStep
from tenants.onboarding import (
    LinkOrigin,
    OnboardingError,
    application_confirm,
    application_create,
    application_from_token,
    application_retry,
)
from tenants.pricing import PRICE_TIERS, trial_days
from tenants.selectors import application_by_public_id, tenant_host

RETRY_LIMIT = (5, 60 * 60)


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Every attempt counts, per client address as the login lockout sees it (TRUSTED_PROXY_COUNT).
        if is_ratelimited(
            request, group="signup-address", key="ip", rate=settings.SIGNUP_RATE_LIMIT_PER_IP, increment=True
        ):
            form.is_valid()  # so the form shows what was typed, with this error on top
            form.add_error(
                None,
                _("Too many sign-ups from your network in a short while. Please wait an hour and try again."),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            email = str(data["contact_email"]).strip().lower()
            # django-ratelimit hashes the key into the cache key: no address is stored in clear.
            if is_ratelimited(
                request,
                group="signup-email",
                key=lambda _group, _request: email,
                rate=settings.SIGNUP_RATE_LIMIT_PER_EMAIL,
                increment=True,
            ):
                form.add_error(
                    "contact_email",
                    _(
                        "Too many sign-ups with this e-mail address today. Use the link in the e-mail we "
                        "already sent, or try again tomorrow."
                    ),
                )
                status = 429
            else:
                try:
                    application = application_create(
                        municipality_code=data["municipality"],
                        slug=data["slug"],
                        organisation=data["organisation"],
                        contact_name=data["contact_name"],
                        contact_email=data["contact_email"],
                        accepted_terms=data["accept_terms"],
                        accepted_dpa=data["accept_dpa"],
                        language=get_language(),
                        origin=LinkOrigin(*request_link_origin(request)),
                    )
                except OnboardingError as exc:
                    error_on_form(form, exc)
                else:
                    request.session["signup_sent_to"] = application.contact_email
                    return redirect("signup-sent")
    context = {
        "form": form,
        "tiers": PRICE_TIERS,
        "trial_days": trial_days(),
        "base_domain": settings.BASE_DOMAIN,
    }
    return render(request, "tenants/signup.html", context, status=status)


def signup_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("signup_sent_to")
    if not email:
        return redirect("signup")
    hours = settings.SIGNUP_CONFIRMATION_MAX_AGE // 3600
    return render(request, "tenants/signup_sent.html", {"email": email, "hours": hours})


@never_cache
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is being confirmed and a button; the POST confirms. Mail scanners that follow links
    with GET therefore cannot confirm (or use up) the link."""
    try:
        if request.method == "POST":
            application = application_confirm(token=token)
            return redirect("signup-progress", public_id=application.public_id)
        application = application_from_token(token)
    except OnboardingError as exc:
        return render(request, "tenants/signup_link_error.html", {"message": exc.message}, status=400)
    return render(
        request,
        "tenants/signup_confirm.html",
        {"application": application, "host": tenant_host(application.slug)},
    )


def _steps(application: OnboardingApplication) -> list[dict[str, str]]:
    order = list(ProvisioningStep)
    current = order.index(ProvisioningStep(application.step))
    ready = application.status == ApplicationStatus.READY
    failed = application.status == ApplicationStatus.FAILED
    steps = []
    for index, step in enumerate(order):
        if ready or index < current:
            state = "done"
        elif index == current:
            state = "failed" if failed else "current"
        else:
            state = "todo"
        steps.append({"key": step.value, "label": str(step.label), "state": state})
    return steps


def _progress_data(application: OnboardingApplication) -> dict[str, Any]:
    ready = application.status == ApplicationStatus.READY
    return {
        "status": application.status,
        "status_label": application.get_status_display(),
        "step": application.step,
        "steps": _steps(application),
        "finished": application.is_finished,
        "message": application.failure_message,
        "next_url": tenant_link(
            application, application.slug, reverse("welcome", urlconf=settings.ROOT_URLCONF)
        )
        if ready
        else "",
    }


@never_cache
def signup_progress(request: HttpRequest, public_id: UUID) -> HttpResponse:
    application = application_by_public_id(public_id)
    context = {
        "application": application,
        "progress": _progress_data(application),
        "host": tenant_host(application.slug),
        "watching": application.status in {ApplicationStatus.QUEUED, ApplicationStatus.PROVISIONING},
    }
    return render(request, "tenants/signup_progress.html", context)


@never_cache
def signup_progress_status(request: HttpRequest, public_id: UUID) -> JsonResponse:
    return JsonResponse(_progress_data(application_by_public_id(public_id)))


@require_POST
def signup_retry(request: HttpRequest, public_id: UUID) -> HttpResponse:
    application = application_by_public_id(public_id)
    retries_key = str(application.public_id)
    if is_ratelimited(
        request,
        group="signup-retry",
        key=lambda _group, _request: retries_key,
        rate=RETRY_LIMIT,
        increment=True,
    ):
        return render(
            request,
            "tenants/signup_link_error.html",
            {"message": _("Tried too many times in a short while. Please wait an hour, or contact us.")},
            status=429,
        )
    try:
        application_retry(application_id=application.pk)
    except OnboardingError as exc:
        return render(request, "tenants/signup_link_error.html", {"message": exc.message}, status=409)
    return redirect("signup-progress", public_id=application.public_id)


def _legal(request: HttpRequest, document: str) -> HttpResponse:
    # Legal texts are documents, written whole in each language rather than assembled from UI strings.
    language = "en" if get_language() == "en" else "sv"
    return render(request, f"tenants/legal/{document}_{language}.html")


def terms(request: HttpRequest) -> HttpResponse:
    return _legal(request, "terms")


def data_processing_agreement(request: HttpRequest) -> HttpResponse:
    return _legal(request, "dpa")
