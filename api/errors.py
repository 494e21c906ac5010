"""One JSON shape for every API error: ``{"error": {"status", "code", "message", "fields"?}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import error_body


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        # A domain service refused the input: the same 400 as a serializer error.
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        response.data = error_body(
            response.status_code, "invalid", _("The request has errors; see fields."), fields
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        # A refusal by a rule of the work may say which input it is about
        # (api.resources.views.base.RuleRefused).
        fields = getattr(exc, "fields", None)
        response.data = error_body(response.status_code, code, str(exc.detail), fields)
    return response


def not_found_body() -> dict[str, Any]:
    return error_body(status.HTTP_404_NOT_FOUND, "not_found", _("Not found."))


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error_response(exc: exceptions.APIException) -> JsonResponse:
    """``exc`` in the API's error shape outside a DRF view, for Django's error handlers: the same status,
    code and (translated) message as inside one."""
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return JsonResponse(error_body(exc.status_code, code, str(exc.detail)), status=exc.status_code)


@csrf_exempt  # an unknown address answers 404 whatever the method, before any CSRF check could say 403
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Every /api/ address that no endpoint takes (``sessions/null,null/move/``): the JSON 404, also where
    DEBUG would show Django's HTML page. Only addresses ending in a slash, so a missing slash still gets
    Django's redirect to the address with one."""
    return JsonResponse(not_found_body(), status=status.HTTP_404_NOT_FOUND)
