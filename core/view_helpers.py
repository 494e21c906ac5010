"""Small helpers the staff views share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from core.errors import CoreError

PAGE_SIZE = 25


def add_core_error(form: forms.Form, error: CoreError) -> None:
    """Show a service's refusal on the form: at its field when the form has one, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string for pagination links (without ``page``)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
