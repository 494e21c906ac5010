"""Hooks for django-axes: whose address and login name are counted, what a locked-out person sees, what is
logged. The address is also every rate limit's (django-ratelimit's ``key="ip"``)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The length of axes' username columns (AccessAttempt, AccessFailureLog, AccessLog).
USERNAME_MAX_LENGTH = 255


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies the address the
    nearest of them was reached from, the N-th from the right in X-Forwarded-For.

    Addresses further left were written by whoever sent the request and prove nothing; a header sent where
    no proxy is configured is ignored. Without an address (a Unix socket with no proxy header) every such
    request shares the unspecified address 0.0.0.0.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    candidate = forwarded[-proxies] if proxies and len(forwarded) >= proxies else remote
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return "0.0.0.0"


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail as typed, lower-cased and trimmed: 'Admin@X.se ' and 'admin@x.se' count as one.

    Cut to what axes' tables hold and without NUL (which PostgreSQL refuses): Django admin's login form (the
    operators' on the public host) hands any length on to authentication, and a failure is written down.
    """
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return str(raw).strip().lower().replace("\x00", "")[:USERNAME_MAX_LENGTH]


def client_description(
    username: str, ip_address: str, user_agent: str, path_info: Any, request: HttpRequest
) -> str:
    """What axes writes to the log about a login: the tenant, the path and a keyed hash of the login name.

    No e-mail and no IP address: both are personal data. The hash lets an operator see that failures
    concern the same account without learning which.
    """
    keyed = hmac.new(settings.SECRET_KEY.encode(), (username or "").encode(), hashlib.sha256)
    digest = keyed.hexdigest()[:10]
    if isinstance(path_info, list | tuple):
        path_info = path_info[0] if path_info else ""
    schema = connection.schema_name  # type: ignore[attr-defined]
    return f"{{tenant: {schema}, account: {digest}, path: {path_info}}}"


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page after too many failed logins: says what happened and what to do, in the user's language."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
