"""When a signed-in user must still pass two-factor authentication, and where to send them.

After the password, a session is in one of three states, kept in the session and decided at login:
``verify`` (the user has a confirmed authenticator: enter a code), ``setup`` (the role requires two-factor
and none is set up yet: set one up now) or ``none`` (an optional role without an authenticator).
``django_otp``'s middleware marks the session verified once a code has been accepted.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import TOTP_REQUIRED_ROLES

SESSION_KEY = "accounts_two_factor"


class Step(StrEnum):
    VERIFY = "verify"
    SETUP = "setup"
    NONE = "none"


def issuer(device: Any = None) -> str:
    """The name an authenticator app shows next to the code: the tenant's, so several networks differ."""
    tenant = getattr(connection, "tenant", None)
    name = getattr(tenant, "name", "") if getattr(tenant, "schema_name", "public") != "public" else ""
    return f"IV {name}".strip() if name else "Internationella Vänner"


def is_required(user: User) -> bool:
    """Admins and board members, and platform operators (Django admin on the public host): each can reach
    personal data about many people, or every tenant."""
    return user.role in TOTP_REQUIRED_ROLES or user.is_staff or user.is_superuser


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def step_for(user: User) -> Step:
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return Step.VERIFY
    return Step.SETUP if is_required(user) else Step.NONE


def remember_step(session: SessionBase, step: Step) -> None:
    session[SESSION_KEY] = step.value


def is_verified(user: Any) -> bool:
    # Without django_otp's middleware there is no is_verified(): count that as not verified.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def pending_step(request: HttpRequest) -> Step | None:
    """The two-factor step this signed-in user still has to take, or None when they may go on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_verified(user):
        return None
    stored = request.session.get(SESSION_KEY)
    step = Step(str(stored)) if stored in Step._value2member_map_ else step_for(user)
    if stored != step.value:
        remember_step(request.session, step)
    # A required role can never be "none", whatever an old session says.
    if step == Step.NONE and is_required(user):
        step = Step.SETUP
        remember_step(request.session, step)
    return None if step == Step.NONE else step


def step_url(step: Step, next_url: str) -> str:
    url = reverse("accounts:two-factor-verify" if step == Step.VERIFY else "accounts:two-factor-setup")
    return f"{url}?{urlencode({'next': next_url})}"


def redirect_to_step(request: HttpRequest, step: Step) -> HttpResponseRedirect:
    return HttpResponseRedirect(step_url(step, request.get_full_path()))
