"""The tenant admin's users page: who can log in, invitations, deactivation, two-factor resets."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.forms import InvitationForm
from accounts.roles import Role
from accounts.selectors import (
    get_invitation_for_actor,
    get_user_for_actor,
    invitations_pending,
    users_for_admin,
)
from accounts.services import (
    AccountError,
    invitation_create,
    invitation_withdraw,
    user_activate,
    user_deactivate,
    user_two_factor_reset,
)
from ivplatform.http import StaffRequest

logger = logging.getLogger(__name__)


@role_required(Role.ADMIN)
def user_list(request: StaffRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, association=request.tenant.is_association)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation_create(
                actor=request.user,
                email=data["email"],
                role=Role(data["role"]),
                full_name=data["full_name"],
                link_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:invitation-accept", args=[token])
                ),
            )
        except AccountError as exc:
            form.add_error("email", str(exc))
        except (SMTPException, OSError) as exc:
            # Only the error's type: its text may name the recipient, and logs hold no personal data.
            logger.error("An invitation e-mail could not be sent (%s).", type(exc).__name__)
            form.add_error(
                None, _("The invitation e-mail could not be sent, so nothing was saved. Try again later.")
            )
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for one sign-up.") % {"email": data["email"]},
            )
            return redirect("users:list")
    context = {
        "users": users_for_admin(actor=request.user),
        "invitations": invitations_pending(actor=request.user),
        "form": form,
    }
    return render(request, "accounts/user_list.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(Role.ADMIN)
def user_deactivate_view(request: StaffRequest, pk: int) -> HttpResponse:
    user = get_user_for_actor(actor=request.user, pk=pk)
    try:
        user_deactivate(actor=request.user, user=user)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s can no longer log in.") % {"name": user})
    return redirect("users:list")


@require_POST
@role_required(Role.ADMIN)
def user_activate_view(request: StaffRequest, pk: int) -> HttpResponse:
    user = get_user_for_actor(actor=request.user, pk=pk)
    user_activate(actor=request.user, user=user)
    messages.success(request, _("%(name)s can log in again.") % {"name": user})
    return redirect("users:list")


@require_POST
@role_required(Role.ADMIN)
def user_two_factor_reset_view(request: StaffRequest, pk: int) -> HttpResponse:
    user = get_user_for_actor(actor=request.user, pk=pk)
    try:
        user_two_factor_reset(actor=request.user, user=user)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Two-factor authentication was reset for %(name)s. They set it up again at their next login.")
            % {"name": user},
        )
    return redirect("users:list")


@require_POST
@role_required(Role.ADMIN)
def invitation_withdraw_view(request: StaffRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_actor(actor=request.user, pk=pk)
    invitation_withdraw(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return redirect("users:list")
