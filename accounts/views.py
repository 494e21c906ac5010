"""Signing in and out, password reset, two-factor authentication and accepting an invitation."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp import login as otp_login
from django_tenants.utils import get_public_schema_name

from accounts.forms import EmailAuthenticationForm, InvitationAcceptForm, TokenForm
from accounts.middleware import session_stamp_login
from accounts.models import User
from accounts.selectors import InvitationInvalid, invitation_by_token
from accounts.services import (
    AccountError,
    TotpCheck,
    invitation_accept,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
    totp_verify,
)
from accounts.two_factor import (
    Step,
    confirmed_device,
    is_required,
    is_verified,
    remember_step,
    step_for,
    step_url,
)
from audit.choices import AuditAction
from audit.services import audit_record
from ivplatform.http import StaffRequest, TenantRequest


def _safe_next(request: HttpRequest, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    if default:
        return default
    # Operators on the public host go on to Django admin; everyone else to their staff pages.
    on_public_host = getattr(getattr(request, "tenant", None), "schema_name", "") == get_public_schema_name()
    return reverse("admin:index" if on_public_host else "home:staff-home")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        session_stamp_login(self.request.session)
        step = step_for(form.get_user())
        remember_step(self.request.session, step)
        if step == Step.NONE:
            return response
        # Straight to the second step, which then continues to where the user was going.
        return HttpResponseRedirect(step_url(step, self.get_success_url()))


class LogoutView(auth_views.LogoutView):
    pass


# --- Password reset by e-mail, on the tenant's own host --------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        tenant = getattr(request, "tenant", None)
        self.extra_email_context = {"network": getattr(tenant, "name", "")}
        return super().dispatch(request, *args, **kwargs)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password from an e-mailed link: ends a lockout and is written to the audit log.

    The welcome link of a new space (tenants.views.welcome) is the same page with its own token and words.
    """

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    audit_summary = gettext_noop("Password reset by e-mail")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        # A new password ends a lockout: the person proved they own the address.
        axes_reset(username=form.user.email.lower())
        audit_record(
            actor=form.user,
            action=AuditAction.CHANGE,
            obj_type="accounts.user",
            obj_id=form.user.pk,
            summary=self.audit_summary,
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


# --- Two-factor authentication ----------------------------------------------------------------------------


def _add_check_errors(form: TokenForm, check: TotpCheck) -> None:
    if check.throttled_until is not None:
        seconds = max(1, int((check.throttled_until - timezone.now()).total_seconds()) + 1)
        form.add_error(
            None,
            _("Too many wrong codes in a row. Wait %(seconds)d seconds, then enter the newest code.")
            % {"seconds": seconds},
        )
    else:
        form.add_error(
            "token",
            _(
                "That code is not right. Enter the newest code; if it keeps failing, check the clock on your phone."
            ),
        )


@login_required
def two_factor_verify(request: StaffRequest) -> HttpResponse:
    """The second step of a login: a code from the user's authenticator app."""
    user = request.user
    next_url = _safe_next(request)
    if is_verified(user):
        return redirect(next_url)
    if confirmed_device(user) is None:
        # The authenticator was removed (by an admin, say): set one up if the role needs it.
        step = step_for(user)
        remember_step(request.session, step)
        return redirect(step_url(step, next_url) if step != Step.NONE else next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = totp_verify(user=user, token=form.cleaned_data["token"])
        if check.device is not None:
            request.session.cycle_key()
            otp_login(request, check.device)
            return redirect(next_url)
        _add_check_errors(form, check)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


def _qr_svg(config_url: str) -> str:
    qr = segno.make(config_url, error="m")
    return str(
        qr.svg_inline(
            scale=5, border=3, dark="#000", light="#fff", title=_("QR code for your authenticator app")
        )
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def two_factor_setup(request: StaffRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter its first code."""
    user = request.user
    verified = is_verified(user)
    next_url = _safe_next(request)
    if not verified and confirmed_device(user) is not None:
        return redirect(step_url(Step.VERIFY, request.get_full_path()))
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = totp_device_confirm(
                user=user, token=form.cleaned_data["token"], session_verified=verified
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            if check.device is not None:
                request.session.cycle_key()
                otp_login(request, check.device)
                messages.success(
                    request, _("Two-factor authentication is on. You will be asked for a code at each login.")
                )
                return redirect(next_url)
            _add_check_errors(form, check)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "required": is_required(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_manage(request: StaffRequest) -> HttpResponse:
    """The user's own sign-in security: whether two-factor is on, set up a new phone, turn it off."""
    user = request.user
    device = confirmed_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            check = totp_device_remove(user=user, token=form.cleaned_data["token"])
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            if check.ok:
                remember_step(request.session, Step.NONE)
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:two-factor")
            _add_check_errors(form, check)
    context = {"device": device, "required": is_required(user), "form": form}
    return render(request, "accounts/two_factor_manage.html", context)


# --- Invitations ----------------------------------------------------------------------------------------


def invitation_accept_view(request: TenantRequest, token: str) -> HttpResponse:
    """The invitee chooses a name and a password; the link then stops working."""
    try:
        invitation = invitation_by_token(token=token)
    except InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"message": str(exc)}, status=400)
    form = InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(
                token=token, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        except (AccountError, InvitationInvalid) as exc:
            form.add_error(None, str(exc))
        else:
            if request.user.is_authenticated:
                logout(request)
            messages.success(
                request, _("Your login is ready. Log in with your e-mail address and the password you chose.")
            )
            return redirect("accounts:login")
    context = {"form": form, "invitation": invitation, "role": invitation.get_role_display()}
    return render(request, "accounts/invitation_accept.html", context)
