"""Writing committed rows from a test, for the processes and threads that cannot see its transaction."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def in_own_connection(function: Callable[[], T]) -> T:
    """Run ``function`` in a thread, on that thread's own connection: autocommit, outside the test's
    transaction, so another process (a Celery worker) or the live server's threads see what it writes."""

    def run() -> T:
        try:
            return function()
        finally:
            connection.set_schema_to_public()
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
