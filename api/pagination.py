"""Pages of every API list: ``page`` and ``page_size`` (50 unless asked, at most 200 a page)."""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from api.query import query_params

_WHOLE_NUMBER = re.compile(r"[0-9]+")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # A cap, so one request cannot ask for a whole municipality at once: a larger page_size gets 200.
    max_page_size = 200

    # Both read the query without NUL (api.query).

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        page_number = query_params(request).get(self.page_query_param) or 1
        if page_number in self.last_page_strings:
            page_number = paginator.num_pages
        return page_number

    def get_page_size(self, request: Request) -> int:
        """``page_size`` as asked, at most ``max_page_size``; anything but a whole number from 1 is a 400
        (DRF would quietly fall back to 50, so ``page_size=null`` looked accepted)."""
        raw = query_params(request).get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not _WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number of at least 1 (at most %(max)d are sent per page).")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, {self.page_size} unless given; at most {self.max_page_size} are sent."
                )
        return parameters
