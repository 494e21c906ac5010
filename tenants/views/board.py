"""The association's board decides on sign-ups when approval is required (on the association's host)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from ivplatform.http import StaffRequest
from tenants.forms import RejectForm
from tenants.models import PlatformSettings
from tenants.onboarding import OnboardingError, application_approve, application_reject
from tenants.pricing import price_tier_for_code
from tenants.selectors import applications_for_board, get_application_for_actor, tenant_host


@role_required(Role.BOARD, association_only=True)
def application_list(request: StaffRequest) -> HttpResponse:
    applications = applications_for_board(actor=request.user)[:100]
    return render(
        request,
        "tenants/board/application_list.html",
        {"applications": applications, "approval_required": PlatformSettings.load().approval_required},
    )


@role_required(Role.BOARD, association_only=True)
def application_detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    application = get_application_for_actor(actor=request.user, public_id=public_id)
    form = RejectForm()
    return render(
        request,
        "tenants/board/application_detail.html",
        {
            "application": application,
            "form": form,
            "host": tenant_host(application.slug),
            "tier": price_tier_for_code(application.municipality_code),
        },
    )


@require_POST
@role_required(Role.BOARD, association_only=True)
def application_decide(request: StaffRequest, public_id: UUID) -> HttpResponse:
    application = get_application_for_actor(actor=request.user, public_id=public_id)
    decision = request.POST.get("decision")
    form = RejectForm(request.POST)
    try:
        if decision == "approve":
            application_approve(application_id=application.pk, actor=request.user)
            messages.success(
                request, _("Approved: %(name)s is being set up.") % {"name": application.municipality_name}
            )
            return redirect("board-applications")
        if decision == "reject":
            if form.is_valid():
                application_reject(
                    application_id=application.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("Rejected: %(name)s has been told why.") % {"name": application.municipality_name},
                )
                return redirect("board-applications")
        else:
            messages.error(request, _("Choose to approve or to reject."))
    except OnboardingError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
    application.refresh_from_db()
    context = {
        "application": application,
        "form": form,
        "host": tenant_host(application.slug),
        "tier": price_tier_for_code(application.municipality_code),
    }
    return render(request, "tenants/board/application_detail.html", context, status=400)
