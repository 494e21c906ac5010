"""Absolute links for e-mails: to the public host and to a tenant's host.

E-mails are also sent by background workers, which have no request; an application remembers the scheme
and port the applicant used, so links work the same in development (http, :8000) and production (https).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tenants.models import OnboardingApplication
from tenants.selectors import tenant_host

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def request_link_origin(request: HttpRequest) -> tuple[str, str]:
    """(scheme, port) of this request, the port blank when it is the scheme's default."""
    scheme = request.scheme or "https"
    port = str(request.get_port())
    return scheme, "" if _DEFAULT_PORTS.get(scheme) == port else port


def origin_url(*, scheme: str, port: str, host: str, path: str) -> str:
    return f"{scheme}://{host}{':' + port if port else ''}{path}"


def tenant_url(*, slug: str, path: str) -> str:
    """A link to a tenant's host for e-mails sent without a request (billing, background work).

    Production serves only HTTPS (and says so with secure cookies), development plain HTTP on the port of
    the development server (``LINK_PORT``).
    """
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = "" if _DEFAULT_PORTS.get(scheme) == settings.LINK_PORT else settings.LINK_PORT
    return origin_url(scheme=scheme, port=port, host=tenant_host(slug), path=path)


def public_link(application: OnboardingApplication, path: str) -> str:
    return origin_url(
        scheme=application.link_scheme, port=application.link_port, host=settings.BASE_DOMAIN, path=path
    )


def tenant_link(application: OnboardingApplication, slug: str, path: str) -> str:
    return origin_url(
        scheme=application.link_scheme, port=application.link_port, host=tenant_host(slug), path=path
    )
