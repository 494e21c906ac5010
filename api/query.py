"""The query string of the list endpoints as their filters and pages read it: without NUL characters.

PostgreSQL refuses NUL in text, and no search, filter, ordering or page value needs one. DRF's filter
backends and pagination each read ``request.query_params``; ours (REST_FRAMEWORK in
ivplatform/settings/api.py, api.pagination) read ``query_params(request)`` instead, a copy with NUL
dropped, so a NUL reaches neither the database nor a parser, and the request itself stays as it came.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.fields import CharField
from rest_framework.request import Request
from rest_framework.views import APIView

NUL = "\x00"


def query_params(request: Request) -> QueryDict:
    """``request.query_params`` with every NUL character dropped from every value."""
    params = request.query_params
    if not any(NUL in value for _key, values in params.lists() for value in values):
        return params
    cleaned = params.copy()
    for key, values in params.lists():
        cleaned.setlist(key, [value.replace(NUL, "") for value in values])
    return cleaned


class FilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(request, queryset, view), "data": query_params(request)}


class SearchFilter(filters.SearchFilter):
    def get_search_terms(self, request: Request) -> list[str]:
        # As DRF's own, from the query without NUL.
        value = query_params(request).get(self.search_param, "")
        field = CharField(trim_whitespace=False, allow_blank=True)
        return list(filters.search_smart_split(field.run_validation(value)))


class OrderingFilter(filters.OrderingFilter):
    def get_ordering(self, request: Request, queryset: QuerySet[Model], view: APIView) -> Any:
        # As DRF's own, from the query without NUL.
        params = query_params(request).get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            ordering = self.remove_invalid_fields(queryset, fields, view, request)
            if ordering:
                return ordering
        return self.get_default_ordering(view)
