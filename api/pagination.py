from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from api.query import query_params


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # A cap, so one request cannot ask for a whole municipality at once.
    max_page_size = 200

    # Both as DRF's own, from the query without NUL (api.query).

    def get_page_number(self, request: Request, paginator: Paginator) -> Any:
        page_number = query_params(request).get(self.page_query_param) or 1
        if page_number in self.last_page_strings:
            page_number = paginator.num_pages
        return page_number

    def get_page_size(self, request: Request) -> int:
        try:
            size = int(query_params(request).get(self.page_size_query_param, ""))
        except ValueError:  # missing, empty or not a whole number
            return self.page_size
        # A positive whole number, at most the cap; anything else gives the default.
        return min(size, self.max_page_size) if size > 0 else self.page_size
