from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language
from django_tenants.middleware.main import TenantMainMiddleware

if TYPE_CHECKING:
    from tenants.models import Municipality


class HealthzMiddleware:
    """Answers ``GET /healthz`` on every host, before tenant routing, so a load balancer can ask any host.

    200 when the database answers, 503 when it does not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.rstrip("/") != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # any database failure means "not healthy"
            return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
        return JsonResponse({"status": "ok", "database": "ok"})


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the switch (remembered in a cookie).

    Django's own middleware would follow the browser's Accept-Language, so most phones and every test
    browser would get English; the customer wants Swedish first, with a switch.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class CachedTenantMainMiddleware(TenantMainMiddleware):
    """django-tenants' host routing, remembering host → tenant for a few seconds in each process.

    Without it every request first queries the public schema's domain table: about 1 ms, a fifth of a
    small page (``make bench``, figure "routing"). ``TENANT_ROUTING_CACHE_SECONDS`` bounds how long a change
    to a tenant or its hosts made in another process (another web worker, a Celery task) takes to show;
    saving or deleting a tenant or domain through the ORM in this process forgets everything at once.
    Unknown hosts are never remembered, so made-up Host headers cannot grow the cache. 0 turns it off.
    """

    def get_tenant(self, domain_model: type[Model], hostname: str) -> Municipality:
        seconds = getattr(settings, "TENANT_ROUTING_CACHE_SECONDS", 0)
        if seconds <= 0:
            return cast("Municipality", super().get_tenant(domain_model, hostname))
        now = time.monotonic()
        cached = _ROUTING_CACHE.get(hostname)
        if cached is None or cached[0] <= now:
            tenant = cast("Municipality", super().get_tenant(domain_model, hostname))
            cached = (now + seconds, tenant)
            _ROUTING_CACHE[hostname] = cached
        # A copy per request: a view that changes request.tenant without saving must not change it for
        # the requests after it.
        return copy.copy(cached[1])


_ROUTING_CACHE: dict[str, tuple[float, Municipality]] = {}


def forget_tenant_routes(**kwargs: object) -> None:
    _ROUTING_CACHE.clear()


for _signal in (post_save, post_delete):
    for _model in ("tenants.Municipality", "tenants.Domain"):
        _signal.connect(forget_tenant_routes, sender=_model)
