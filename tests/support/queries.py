"""Counting the queries a page or selector runs, without django-tenants' ``SET search_path`` statements
(how many of those are sent depends on TENANT_LIMIT_SET_CALLS, not on the code under test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def real_queries(expected: int) -> Iterator[None]:
    with CaptureQueriesContext(connection) as captured:
        yield
    real = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]
    assert len(real) == expected, f"expected {expected} queries, ran {len(real)}:\n" + "\n".join(real)
