"""Views that belong to the platform as a whole: the landing page and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from rest_framework import exceptions

from api.errors import api_error_response, is_api_request, not_found_body
from tenants.pricing import PRICE_TIERS, trial_days
from tenants.selectors import public_member_municipalities


def landing(request: HttpRequest) -> HttpResponse:
    context = {
        "municipalities": public_member_municipalities(),
        "tiers": PRICE_TIERS,
        "trial_days": trial_days(),
    }
    return render(request, "public/landing.html", context)


def unknown_host(request: HttpRequest) -> HttpResponse:
    """No tenant has this host: say so plainly (django-tenants calls this instead of raising)."""
    return render(request, "errors/unknown_host.html", {"host": request.get_host()}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        # An API client gets the API's one error shape, not an HTML page.
        return JsonResponse(not_found_body(), status=404)
    return render(request, "errors/404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(exceptions.ParseError())
    return defaults.bad_request(request, exception or Exception())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(exceptions.PermissionDenied())
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_error_response(exceptions.APIException())
    # No context processors: whatever failed may be what they need.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
