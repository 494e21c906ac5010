from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import check_for_language

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


class HealthzMiddleware:
    """Answers ``GET /healthz`` and ``GET /readyz`` before tenant routing.

    ``/healthz`` is liveness, on every host: 200 when the database answers, 503 when it does not (restart
    the process). ``/readyz`` is readiness, per host: 200 when the host is a tenant that is ready (or the
    public host), the database answers and the template schema new tenants are cloned from is current;
    503 with the reason otherwise (send no traffic yet); 404 for a host that is no tenant's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path.rstrip("/")
        if path == "/readyz":
            return readiness(request)
        if path != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure means "not healthy"
            return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a signed-in user and on every API answer.

    They carry personal data: no copy may stay in a shared computer's browser cache or in a proxy. Static
    files never reach this middleware (WhiteNoise answers them first), and pages for anonymous visitors keep
    whatever caching they had. API clients sign in per request with a token, which Django's own request
    does not see here, so ``/api/`` goes by its path.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True)
        return response


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the switch (remembered in a cookie).

    Django's own middleware would follow the browser's Accept-Language, so most phones and every test
    browser would get English; the customer wants Swedish first, with a switch. Newcomer-facing pages
    (views marked with ``public_page``) offer seven languages; staff pages stay Swedish and English, so a
    choice of Arabic on the public pages shows staff pages in Swedish.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        is_public = bool(getattr(view_func, "public_page", False))
        request.public_page = is_public  # type: ignore[attr-defined]
        if not is_public and translation.get_language() not in settings.STAFF_LANGUAGES:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE


def public_page(view: ViewT) -> ViewT:
    """Mark a view as newcomer-facing: it is shown in all the public languages."""
    view.public_page = True  # type: ignore[attr-defined]
    return view


def readiness(request: HttpRequest) -> JsonResponse:
    """``/readyz`` (see ``HealthzMiddleware``): is this host's tenant ready to serve?"""
    from django_tenants.utils import get_public_schema_name

    from tenants.models import Domain
    from tenants.template import template_schema_is_current

    hostname = request.get_host().split(":")[0].lower()
    try:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        template_current = template_schema_is_current()
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "not ready", "database": "unreachable"}, status=503)
    if domain is None:
        return JsonResponse({"status": "unknown host"}, status=404)
    tenant = domain.tenant
    tenant_ready = tenant.schema_name == get_public_schema_name() or tenant.is_ready
    body = {
        "status": "ready" if tenant_ready and template_current else "not ready",
        "database": "ok",
        "tenant": tenant.schema_name,
        "tenant_status": tenant.status,
        "template_schema": "current" if template_current else "behind",
    }
    return JsonResponse(body, status=200 if body["status"] == "ready" else 503)
