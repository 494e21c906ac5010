"""Counting the queries a page or selector runs, without what does not depend on the code under test:

- django-tenants' ``SET search_path`` statements (how many are sent depends on TENANT_LIMIT_SET_CALLS);
- the session's "last seen" write, which the session-expiry middleware makes once a minute at most
  (``accounts.middleware.SEEN_PRECISION``): on a busy machine a minute can pass between a test's login and
  the request it counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _real(statements: list[str]) -> list[str]:
    real: list[str] = []
    for sql in statements:
        if sql.startswith("SET search_path"):
            continue
        if sql.startswith('UPDATE "django_session"'):
            # The session's save runs in its own savepoint: drop the pair around it too.
            if real and real[-1].startswith("SAVEPOINT"):
                real.pop()
            real.append("-- session saved")
            continue
        if sql.startswith("RELEASE SAVEPOINT") and real and real[-1] == "-- session saved":
            real.pop()
            continue
        real.append(sql)
    return [sql for sql in real if sql != "-- session saved"]


@contextmanager
def real_queries(expected: int) -> Iterator[None]:
    with CaptureQueriesContext(connection) as captured:
        yield
    real = _real([q["sql"] for q in captured.captured_queries])
    assert len(real) == expected, f"expected {expected} queries, ran {len(real)}:\n" + "\n".join(real)
