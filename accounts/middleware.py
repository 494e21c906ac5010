"""Session lifetime and the two-factor gate, for every request after authentication."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from accounts.two_factor import pending_step, redirect_to_step

STARTED_KEY = "accounts_started"
SEEN_KEY = "accounts_seen"
# Writing the "last seen" time on every request would save the session on every request; a minute's
# precision is plenty for an idle timeout measured in tens of minutes.
SEEN_PRECISION = 60


def session_stamp_login(session: SessionBase) -> None:
    now = int(time.time())
    session[STARTED_KEY] = now
    session[SEEN_KEY] = now


class SessionExpiryMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT without requests, or SESSION_COOKIE_AGE after
    the login however active it was; the next page is the login page with a message saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if "_auth_user_id" in session:
            now = int(time.time())
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if not isinstance(started, int) or not isinstance(seen, int):
                session_stamp_login(session)
            elif now - seen > settings.SESSION_IDLE_TIMEOUT:
                return self._expire(
                    request, _("You were logged out after a while without activity. Please log in again.")
                )
            elif now - started > settings.SESSION_COOKIE_AGE:
                return self._expire(
                    request,
                    _(
                        "You were logged out because your session reached its time limit. Please log in again."
                    ),
                )
            elif now - seen >= SEEN_PRECISION:
                session[SEEN_KEY] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        # Operators on the public host sign in through Django admin; everyone else on their tenant's host.
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == get_public_schema_name():
            login_url = reverse("admin:login", urlconf=settings.PUBLIC_SCHEMA_URLCONF)
        else:
            login_url = reverse(settings.LOGIN_URL, urlconf=settings.ROOT_URLCONF)
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")


# Pages a user who still owes a two-factor step may open: the steps themselves and the way out.
TWO_FACTOR_EXEMPT = {
    ("accounts", "login"),
    ("accounts", "logout"),
    ("accounts", "two-factor-verify"),
    ("accounts", "two-factor-setup"),
    ("accounts", "password-reset"),
    ("accounts", "password-reset-done"),
    ("accounts", "password-reset-confirm"),
    ("accounts", "password-reset-complete"),
    ("accounts", "invitation-accept"),
    ("", "set_language"),
    # Operators sign in and out through Django admin on the public host.
    ("admin", "login"),
    ("admin", "logout"),
}


class TwoFactorRequiredMiddleware:
    """A user who still owes a two-factor step reaches no other page: on a tenant's host, and on the
    public host, where platform operators sign in to Django admin with the same devices and rules.

    Runs as a view middleware so it sees which URL matched; requests that match nothing get the 404 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(request, "tenant", None) is None:
            return None
        match = request.resolver_match
        if match is not None and (match.namespace, match.url_name) in TWO_FACTOR_EXEMPT:
            return None
        step = pending_step(request)
        return redirect_to_step(request, step) if step else None
