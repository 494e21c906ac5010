"""OpenAPI description shared by the local network's endpoints: every operation documents its errors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # "fields" (the per-field messages) cannot be a class attribute: it is a Serializer property.
        fields = super().get_fields()
        fields["fields"] = serializers.DictField(child=serializers.JSONField(), required=False)
        return fields


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error shape of the API (see api.errors)."""

    error = ErrorDetailSerializer()


ERRORS = {
    "400": "The request does not fit the contract (a field missing, a wrong type, a value out of range); "
    "see fields.",
    "401": "No valid token or session for this network.",
    "403": "Your role may not do this.",
    "404": "Not found, or not yours to see (the same answer for both).",
    "409": "A rule of the work refused the change (e.g. already registered, session cancelled, a stage "
    "skipped); fields names the input it is about when known, and possible duplicates by their ids.",
    "429": "Too many requests for this token; wait and retry.",
}


class ApiSchema(AutoSchema):
    """Adds the error responses (one JSON shape) to every operation, next to its own success response."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code not in responses:
                # drf-spectacular's helper carries no annotations.
                responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    OpenApiResponse(ErrorSerializer, description=description), code, direction=direction
                )
        return responses
