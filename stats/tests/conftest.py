from __future__ import annotations

from collections.abc import Iterator

import pytest

from ivplatform.celery import app


@pytest.fixture(autouse=True)
def celery_inline() -> Iterator[None]:
    """Run tasks in the test's own transaction: CI sets REDIS_URL, which would otherwise queue them.

    The real-worker test (test_tasks_worker.py) switches this off for itself.
    """
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
